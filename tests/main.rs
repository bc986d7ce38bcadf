//! Integration tests: run the real binary on fixture data in temporary folders.
//! One test binary (see Cargo.toml) keeps link time down.

mod util;

mod build;
mod claims;
mod malformed;
mod real_data;
mod register;

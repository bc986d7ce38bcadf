//! Text for the PNG charts. plotters' bitmap text (0.3.7, ab_glyph) places each glyph at the pen
//! position truncated to a whole pixel and without its left side bearing, so letters crowd and
//! spaces vanish ("GulagHistory Museum", "1 9 3 1"). This backend wraps plotters' bitmap backend
//! and draws text itself with the bundled font: glyphs at their true positions (bearing and
//! kerning kept, subpixel pen), the same layout box and anchoring as plotters, so everything else
//! about a chart stays where plotters puts it. Deterministic: same text, same pixels.

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters::prelude::{BitMapBackend, DrawingBackend};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};

pub struct GlyphFix<'a> {
    inner: BitMapBackend<'a>,
    font: FontRef<'static>,
}

impl<'a> GlyphFix<'a> {
    pub fn new(inner: BitMapBackend<'a>, font: &'static [u8]) -> Option<GlyphFix<'a>> {
        Some(GlyphFix { inner, font: FontRef::try_from_slice(font).ok()? })
    }
}

type Err<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for GlyphFix<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), Err<'a>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), Err<'a>> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Result<(), Err<'a>> {
        self.inner.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> Result<(), Err<'a>> {
        self.inner.draw_line(from, to, s)
    }
    fn draw_rect<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, s: &S, fill: bool) -> Result<(), Err<'a>> {
        self.inner.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, s: &S) -> Result<(), Err<'a>> {
        self.inner.draw_path(path, s)
    }
    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, s: &S, fill: bool) -> Result<(), Err<'a>> {
        self.inner.draw_circle(c, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, s: &S) -> Result<(), Err<'a>> {
        self.inner.fill_polygon(vert, s)
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, (w, h): (u32, u32), src: &[u8]) -> Result<(), Err<'a>> {
        self.inner.blit_bitmap(pos, (w, h), src)
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> Result<(), Err<'a>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let size = style.size() as f32;
        let font = self.font.as_scaled(PxScale::from(size));
        // each glyph with its pen position (advances and kerning), and the width they take: the
        // layout box plotters uses (its height: size / 1.24), so that anchoring and the room the
        // mesh leaves for labels stay the same
        let mut pen = Vec::new();
        let mut width = 0f32;
        let mut prev = None;
        for ch in text.chars() {
            let id = font.glyph_id(ch);
            if let Some(p) = prev {
                width += font.kern(p, id);
            }
            pen.push((id, width));
            width += font.h_advance(id);
            prev = Some(id);
        }
        let (w, h) = (width as i32, (f64::from(size) / 1.24) as i32);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -w,
            HPos::Center => -w / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -h / 2,
            VPos::Bottom => -h,
        };
        let trans = style.transform();
        let (bw, bh) = self.get_size();
        // the baseline where plotters puts it: half the size below the top of the box
        let baseline = size / 2.0;
        for (id, caret) in pen {
            let glyph = id.with_scale_and_position(PxScale::from(size), point(caret, baseline));
            let Some(outline) = self.font.outline_glyph(glyph) else { continue };
            let b = outline.px_bounds();
            let mut px = Vec::new();
            outline.draw(|x, y, cov| px.push((b.min.x as i32 + x as i32, b.min.y as i32 + y as i32, cov)));
            for (x, y, cov) in px {
                let (x, y) = trans.transform(x + dx, y + dy);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && x < bw as i32 && y >= 0 && y < bh as i32 && cov > 0.0 {
                    self.inner.draw_pixel((x, y), BackendColor { alpha: color.alpha * f64::from(cov.min(1.0)), rgb: color.rgb })?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::FONT;
    use plotters::prelude::*;

    /// The first column with ink in a buffer of w x h RGB pixels on white.
    fn first_ink(buf: &[u8], w: usize, h: usize) -> Option<usize> {
        (0..w).find(|x| (0..h).any(|y| buf[(y * w + x) * 3] < 200))
    }

    #[test]
    fn glyphs_keep_their_left_side_bearing() {
        let (w, h) = (120usize, 60usize);
        let size = 40.0;
        let font = FontRef::try_from_slice(FONT).unwrap();
        let bearing = font.as_scaled(PxScale::from(size as f32)).h_side_bearing(font.glyph_id('1'));
        assert!(bearing >= 2.0, "the test needs a glyph with a visible bearing: {bearing}");
        let mut buf = vec![255u8; w * h * 3];
        {
            let b = GlyphFix::new(BitMapBackend::with_buffer(&mut buf, (w as u32, h as u32)), FONT).unwrap();
            let root = b.into_drawing_area();
            plotters::style::register_font("glyph-test", FontStyle::Normal, FONT).ok();
            root.draw(&Text::new("1", (10, 10), ("glyph-test", size).into_font().color(&BLACK))).unwrap();
        }
        let ink = first_ink(&buf, w, h).expect("the glyph is drawn") as f32;
        assert!((ink - (10.0 + bearing)).abs() <= 1.5, "ink starts at {ink}, pen 10 + bearing {bearing}");
    }
}

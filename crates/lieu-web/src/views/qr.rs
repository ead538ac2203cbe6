//! QR codes drawn by the server as inline SVG, for paper: black squares on white, one path
//! of horizontal runs (a few hundred bytes where one square per module would take kilobytes),
//! with the four-module quiet zone the standard asks for. No image service ever sees the
//! addresses.

use maud::{Markup, html};
use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// The margin around the code, in modules (ISO/IEC 18004 asks for four).
pub const QUIET_ZONE: usize = 4;

/// The path of the dark modules of `data`'s QR code and the side of its square (modules,
/// quiet zone included); `None` when `data` is too long to encode.
pub fn qr_path(data: &str) -> Option<(String, usize)> {
    // Level M: survives a crease or a stain (15 % of the code) and stays small for an address.
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let dark = |x: usize, y: usize| colors.get(y * width + x) == Some(&Color::Dark);
    let mut d = String::new();
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if dark(x, y) {
                let start = x;
                while x < width && dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                let _ = write!(
                    d,
                    "M{} {}h{run}v1h-{run}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                );
            } else {
                x += 1;
            }
        }
    }
    Some((d, width + 2 * QUIET_ZONE))
}

/// `data` as an inline SVG QR code named `label` for screen readers; nothing when `data`
/// cannot be encoded (the address is printed beside it anyway).
pub fn qr_svg(data: &str, label: &str) -> Markup {
    let Some((d, side)) = qr_path(data) else {
        return html! {};
    };
    html! {
        svg.qr viewBox={ "0 0 " (side) " " (side) } role="img" aria-label=(label) shape-rendering="crispEdges" {
            title { (label) }
            rect width=(side) height=(side) fill="#fff" {}
            path fill="#000" d=(d) {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the path back into modules and decodes them with an independent decoder.
    fn decode(d: &str, side: usize) -> String {
        let mut dark = vec![false; side * side];
        for cmd in d.split('z').filter(|c| !c.is_empty()) {
            let rest = cmd.strip_prefix('M').expect("M");
            let (xy, rest) = rest.split_once('h').expect("h");
            let (x, y) = xy.split_once(' ').expect("x y");
            let (x, y): (usize, usize) = (x.parse().expect("x"), y.parse().expect("y"));
            let run: usize = rest.split_once('v').expect("v").0.parse().expect("run");
            for i in x..x + run {
                dark[y * side + i] = true;
            }
        }
        let scale = 4;
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(side * scale, side * scale, |x, y| {
                if dark[(y / scale) * side + x / scale] {
                    0
                } else {
                    255
                }
            });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().expect("decodes").1
    }

    #[test]
    fn the_code_decodes_to_the_address_it_was_drawn_from() {
        let url = "https://lieu.example.org/annuaire/services/permanence-de-la-caf";
        let (d, side) = qr_path(url).expect("encodes");
        assert_eq!(decode(&d, side), url);
    }

    #[test]
    fn the_svg_is_named_for_screen_readers_and_black_on_white() {
        let svg = qr_svg("https://x.example/a", "Fiche « A » en ligne").into_string();
        assert!(svg.starts_with("<svg class=\"qr\" viewBox=\"0 0 "));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-label=\"Fiche « A » en ligne\""));
        assert!(svg.contains("<title>Fiche « A » en ligne</title>"));
        assert!(svg.contains("fill=\"#fff\"") && svg.contains("fill=\"#000\""));
        assert_eq!(qr_svg(&"x".repeat(5000), "trop long").into_string(), "");
    }
}

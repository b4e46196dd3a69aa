//! Server-only picture checks: the uploaded bytes are identified by content (JPEG, PNG or WebP only), decoded within size and pixel limits, turned upright, resized and re-encoded — so nothing of the upload but its pixels is kept (no EXIF, no GPS, no trailing payload).

use image::{codecs::jpeg::JpegEncoder, codecs::png::PngEncoder, DynamicImage, ImageDecoder};
use image::{ImageEncoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// The largest upload accepted, in bytes.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// The largest picture accepted, in pixels (a 40-megapixel camera's photo).
pub const MAX_PIXELS: u64 = 40_000_000;
/// The longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 12_000;

/// How a picture is fitted: a square cut from its middle (avatars), or its longest side at most
/// this many pixels (logos, photos, images in posts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Square(u32),
    Within(u32),
}

/// A picture as it is stored and served.
#[derive(Debug, Clone)]
pub struct Processed {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Checks, decodes and re-encodes an uploaded picture; the error is a sentence for the form.
pub fn process(data: &[u8], fit: Fit) -> Result<Processed, String> {
    if data.is_empty() {
        return Err("Choose a picture to upload.".into());
    }
    if data.len() > MAX_BYTES {
        return Err(format!(
            "This picture is {:.1} MB; the largest we take is 8 MB.",
            data.len() as f64 / 1_048_576.0
        ));
    }
    let unsupported = || "Choose a JPEG, PNG or WebP picture.".to_string();
    let format = image::guess_format(data).map_err(|_| unsupported())?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(unsupported());
    }
    let unreadable =
        || "This picture could not be read. Try saving it again as JPEG or PNG.".to_string();
    let (w, h) = ImageReader::with_format(Cursor::new(data), format)
        .into_dimensions()
        .map_err(|_| unreadable())?;
    if w == 0 || h == 0 {
        return Err(unreadable());
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS || w > MAX_SIDE || h > MAX_SIDE {
        return Err(format!(
            "This picture is {w} × {h} pixels; the largest we take is 40 megapixels. Make it smaller and try again."
        ));
    }
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| unreadable())?;
    // A phone's photo is stored sideways with an EXIF note to turn it: turn it, as the note
    // itself is not kept.
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| unreadable())?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let img = match fit {
        Fit::Square(side) => img.resize_to_fill(side, side, image::imageops::FilterType::Triangle),
        Fit::Within(side) if img.width() > side || img.height() > side => {
            img.resize(side, side, image::imageops::FilterType::Triangle)
        }
        Fit::Within(_) => img,
    };
    encode(&img).map_err(|_| unreadable())
}

/// Pictures with transparency become PNG, everything else JPEG.
fn encode(img: &DynamicImage) -> Result<Processed, image::ImageError> {
    let (width, height) = (img.width(), img.height());
    let mut bytes = Vec::new();
    let content_type = if img.color().has_alpha() {
        let rgba = img.to_rgba8();
        PngEncoder::new(&mut bytes).write_image(
            rgba.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgba8,
        )?;
        "image/png"
    } else {
        let rgb = img.to_rgb8();
        JpegEncoder::new_with_quality(&mut bytes, 85).write_image(
            rgb.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )?;
        "image/jpeg"
    };
    Ok(Processed {
        bytes,
        content_type,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img =
            DynamicImage::ImageRgb8(image::RgbImage::from_pixel(w, h, image::Rgb([200, 40, 90])));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(|e| e.to_string())
            .unwrap_or_default();
        out
    }

    #[test]
    fn pictures_are_re_encoded_and_fitted() {
        let p = process(&png(900, 300), Fit::Within(600)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (p.width, p.height, p.content_type),
            (600, 200, "image/jpeg")
        );
        assert_eq!(image::guess_format(&p.bytes).ok(), Some(ImageFormat::Jpeg));
        let a = process(&png(900, 300), Fit::Square(128)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((a.width, a.height), (128, 128));
        let small = process(&png(40, 30), Fit::Within(600)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((small.width, small.height), (40, 30), "never enlarged");
    }

    #[test]
    fn other_files_are_refused() {
        for bad in [
            b"<html><script>alert(1)</script></html>".to_vec(),
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
            Vec::new(),
            // A PNG's signature with nothing behind it.
            b"\x89PNG\r\n\x1a\n".to_vec(),
        ] {
            assert!(process(&bad, Fit::Within(600)).is_err(), "{bad:?}");
        }
        let huge = vec![0u8; MAX_BYTES + 1];
        assert!(process(&huge, Fit::Within(600))
            .err()
            .is_some_and(|e| e.contains("8 MB")));
    }
}

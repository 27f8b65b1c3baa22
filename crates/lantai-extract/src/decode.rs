//! Bytes of unknown encoding to text: BOM, then strict UTF-8, then a detector that prefers
//! GB18030 (the superset) where it guesses GBK.

/// Decoded text and the encoding it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// `UTF-8`, `GB18030`, `UTF-16LE` …
    pub encoding: &'static str,
}

/// Text that would decode only with errors (refused rather than stored garbled).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("neither UTF-8 nor valid {encoding} (detected); re-save it as UTF-8")]
pub struct DecodeError {
    /// The encoding tried.
    pub encoding: &'static str,
}

/// Decodes `bytes`; see the module doc.
pub fn decode_text(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(DecodeError { encoding: encoding.name() });
        }
        return Ok(Decoded { text: text.into_owned(), encoding: encoding.name() });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: text.to_string(), encoding: "UTF-8" });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let mut encoding = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    if encoding == encoding_rs::GBK {
        encoding = encoding_rs::GB18030;
    }
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors {
        return Err(DecodeError { encoding: encoding.name() });
    }
    Ok(Decoded { text: text.into_owned(), encoding: encoding.name() })
}

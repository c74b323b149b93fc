//! Share links for the playground: the manifest and the scenario, as JSON, deflated and written in
//! base64url, so the whole run travels in the URL fragment and reproduces on any static host without
//! a server. Decoding is bounded (a hostile link cannot make the page inflate gigabytes).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The most a link may inflate to.
const MAX_INFLATED: usize = 512 * 1024;
/// The longest encoded link data we try to read.
const MAX_ENCODED: usize = 256 * 1024;

/// What a share link carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    #[serde(rename = "m")]
    pub manifest: String,
    #[serde(rename = "s", default)]
    pub scenario: String,
}

/// The link data: base64url of the deflated JSON.
pub fn encode(shared: &Shared) -> String {
    let json = serde_json::to_vec(shared).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&json, 9))
}

/// Read link data back, or say in words why it cannot be read.
pub fn decode(data: &str) -> Result<Shared, String> {
    if data.len() > MAX_ENCODED {
        return Err("this link is too long to be a Batch Lab playground link".into());
    }
    let bad = "this link's playground data is damaged (was it cut short when copied?)";
    let compressed = URL_SAFE_NO_PAD.decode(data.trim()).map_err(|_| bad)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_INFLATED)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                "this link's playground data is too large".to_string()
            }
            _ => bad.to_string(),
        })?;
    // Through `str` rather than `from_slice`: the same texts are accepted (JSON is UTF-8 either
    // way), and the wasm then holds serde_json's reader for `&str` only, which progress uses too.
    let json = std::str::from_utf8(&json).map_err(|_| bad.to_string())?;
    serde_json::from_str(json).map_err(|_| bad.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_round_trips_through_a_link() {
        let shared = Shared {
            manifest: "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: é😀\n".into(),
            scenario: "seed: 7\n".into(),
        };
        let data = encode(&shared);
        assert!(data
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(decode(&data), Ok(shared));
    }

    #[test]
    fn damaged_links_are_reported_not_panicked_on() {
        let data = encode(&Shared {
            manifest: "kind: Job\n".repeat(50),
            scenario: String::new(),
        });
        assert!(decode(&data[..data.len() / 2])
            .unwrap_err()
            .contains("damaged"));
        assert!(decode("!!!").is_err());
        assert!(decode("").is_err());
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let huge = Shared {
            manifest: "a".repeat(4 * 1024 * 1024),
            scenario: String::new(),
        };
        let err = decode(&encode(&huge)).unwrap_err();
        assert!(err.contains("too large"), "{err}");
    }
}

//! `Text`: the strings of a timeline — object names, event messages, condition reasons — stored
//! so that a month of a CronJob (tens of thousands of Jobs, pods and events) does not allocate
//! each of them again and again.
//!
//! A pod's name is in its record, in its Job's `SuccessfulCreate` message and in every event
//! about it; a Job's name is in its record, its pods' records and its events. Made once as shared
//! text, each of those is a reference-count increment instead of a copy. Fixed texts
//! (`"Job completed"`, `"CompletionsReached"`) are `&'static str` and cost nothing. A message made
//! for one record keeps its `String`.
//!
//! `Text` reads as a `&str` (`Deref`, `as_str`), compares with `str`/`String`, prints with
//! `Display` and serialises as a plain JSON string, so it is a drop-in for `String` in the
//! timeline's fields and the JSON contract does not change.

use serde::{Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// A string of the timeline (see the module documentation).
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    /// Fixed text: no allocation.
    Static(&'static str),
    /// Text many records refer to (names): cloning shares it.
    Shared(Arc<str>),
    /// Text made for one record (most messages): kept as it was formatted.
    Owned(String),
}

impl Text {
    /// Text that will be cloned into many records (an object's name): one allocation, then
    /// clones share it.
    pub fn shared(text: &str) -> Text {
        Text(Repr::Shared(Arc::from(text)))
    }

    /// `shared` of the parts joined, without making the joined string first when it is short
    /// (a CronJob's Job names are made this way, one a minute for a month).
    pub fn shared_concat(parts: &[&str]) -> Text {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut buffer = [0u8; 128];
        let Some(joined) = buffer.get_mut(..len) else {
            return Text::shared(&parts.concat());
        };
        let mut at = 0;
        for part in parts {
            joined[at..at + part.len()].copy_from_slice(part.as_bytes());
            at += part.len();
        }
        // Whole strings joined are whole UTF-8.
        Text::shared(std::str::from_utf8(joined).unwrap_or_default())
    }

    /// Whether both are the same shared text (clones of one `shared`): equal without reading
    /// them. The CronJob controller compares its Jobs' names with its status's on every pass,
    /// and those are clones of one another.
    fn same_shared(&self, other: &Text) -> bool {
        matches!((&self.0, &other.0), (Repr::Shared(a), Repr::Shared(b)) if Arc::ptr_eq(a, b))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
            Repr::Owned(s) => s,
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text(Repr::Static(""))
    }
}

impl From<&'static str> for Text {
    fn from(text: &'static str) -> Text {
        Text(Repr::Static(text))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(Repr::Owned(text))
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.same_shared(other) || self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        if self.same_shared(other) {
            return std::cmp::Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

/// An integer in decimal, printed into a buffer on the stack: the simulator's hot paths (a
/// CronJob's Job names, "started 34s late") put numbers into texts tens of thousands of times,
/// and the formatter costs several times the digits' own work.
pub struct Decimal {
    digits: [u8; 20],
    start: usize,
}

impl Decimal {
    pub fn new(n: i64) -> Decimal {
        // 20 bytes hold every i64, `-9223372036854775808` included.
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        let mut rest = n.unsigned_abs();
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if n < 0 {
            start -= 1;
            digits[start] = b'-';
        }
        Decimal { digits, start }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '-' are ever written.
        std::str::from_utf8(&self.digits[self.start..]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::{Decimal, Text};

    #[test]
    fn shared_concat_joins_short_and_long_parts_alike() {
        let long = "ü".repeat(100);
        for parts in [
            vec![],
            vec!["every-minute", "-", "29000000"],
            vec!["é", "", "ß"],
            vec![long.as_str(), "-", "7"],
        ] {
            assert_eq!(Text::shared_concat(&parts), parts.concat());
        }
    }

    #[test]
    fn every_kind_of_text_reads_compares_and_serialises_as_its_string() {
        let texts = [
            Text::from("pod-abcde"),
            Text::shared("pod-abcde"),
            Text::from("pod-abcde".to_string()),
        ];
        for t in &texts {
            assert_eq!(t, &texts[0]);
            assert_eq!(*t, "pod-abcde");
            assert_eq!(t.as_str(), "pod-abcde");
            assert_eq!(format!("{t} {t:?}"), "pod-abcde \"pod-abcde\"");
            assert_eq!(serde_json::to_string(t).unwrap(), "\"pod-abcde\"");
        }
        let (a, b) = (Text::from("a"), Text::shared("b"));
        assert!(a < b);
        assert_eq!(Text::default(), "");
    }

    #[test]
    fn decimals_print_as_the_formatter_prints_them() {
        for n in [0, 7, -7, 10, 99, 29460061, -1000, i64::MAX, i64::MIN] {
            assert_eq!(Decimal::new(n).as_str(), n.to_string());
        }
    }
}

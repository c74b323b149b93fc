//! `Text`: the strings of a timeline — object names, event messages, condition reasons — stored
//! so that a month of a CronJob (tens of thousands of Jobs, pods and events) does not allocate
//! each of them again and again.
//!
//! A pod's name is in its record, in its Job's `SuccessfulCreate` message and in every event
//! about it; a Job's name is in its record, its pods' records and its events. Made once as shared
//! text, each of those is a reference-count increment instead of a copy. Fixed texts
//! (`"Job completed"`, `"CompletionsReached"`) are `&'static str` and cost nothing. A message made
//! for one record keeps its bytes (as a `Box<str>`).
//!
//! `Text` reads as a `&str` (`Deref`, `as_str`), compares with `str`/`String`, prints with
//! `Display` and serialises as a plain JSON string, so it is a drop-in for `String` in the
//! timeline's fields and the JSON contract does not change.

use serde::{Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::Arc;

/// A string of the timeline (see the module documentation).
///
/// Two words: where the bytes are and how many, with the kind of text in the length's top two
/// bits. An enum of `&'static str`, `Arc<str>` and `String` would be three words (a tag beside
/// the largest variant), and every record holds several texts: an event two, a Job's record
/// eight. At two words a month of a CronJob keeps 9 % fewer bytes (peak resident 142 →
/// 129 MB), and `Option<Text>` costs nothing more.
///
/// This is the only `unsafe` code in the crate. It holds to one rule: `ptr` and the length come
/// from a `&'static str`, an `Arc<str>` turned into a raw pointer, or a `Box<str>` turned into a
/// raw pointer, and are handed back to the same kind to clone or free (`Kind` says which).
pub struct Text {
    ptr: NonNull<u8>,
    /// The length in bytes; the top two bits are the `Kind`.
    tagged_len: usize,
}

/// Where a text's bytes live, which decides what cloning and dropping it do.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// Fixed text (`&'static str`): clones copy the pointer, nothing is freed.
    Static = 0,
    /// Text many records refer to (names), from an `Arc<str>`: cloning shares it.
    Shared = 1,
    /// Text made for one record (most messages), from a `Box<str>`: cloning copies it.
    Owned = 2,
}

const KIND_SHIFT: u32 = usize::BITS - 2;
const LEN_MASK: usize = (1 << KIND_SHIFT) - 1;

// Like the `&'static str`, `Arc<str>` and `Box<str>` it holds, a `Text` can be sent to and read
// from other threads: its bytes never change, and a shared one is counted atomically.
unsafe impl Send for Text {}
unsafe impl Sync for Text {}

impl Text {
    /// Text that will be cloned into many records (an object's name): one allocation, then
    /// clones share it.
    pub fn shared(text: &str) -> Text {
        let text = fit(text);
        let len = text.len();
        let raw = Arc::into_raw(Arc::<str>::from(text));
        Text::from_raw(raw as *const u8, len, Kind::Shared)
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

    fn from_raw(ptr: *const u8, len: usize, kind: Kind) -> Text {
        // The pointer of a `&str`, `Arc<str>` or `Box<str>` is never null (a dangling but
        // non-null one when the text is empty).
        let ptr = NonNull::new(ptr as *mut u8).unwrap_or(NonNull::dangling());
        Text {
            ptr,
            tagged_len: len | (kind as usize) << KIND_SHIFT,
        }
    }

    fn kind(&self) -> Kind {
        match self.tagged_len >> KIND_SHIFT {
            0 => Kind::Static,
            1 => Kind::Shared,
            _ => Kind::Owned,
        }
    }

    fn len_bytes(&self) -> usize {
        self.tagged_len & LEN_MASK
    }

    /// The bytes as the raw `str` pointer they were made from.
    fn raw_str(&self) -> *const str {
        std::ptr::slice_from_raw_parts(self.ptr.as_ptr() as *const u8, self.len_bytes())
            as *const str
    }

    /// Whether both are the same shared text (clones of one `shared`): equal without reading
    /// them. The CronJob controller compares its Jobs' names with its status's on every pass,
    /// and those are clones of one another.
    fn same_shared(&self, other: &Text) -> bool {
        self.kind() == Kind::Shared && self.ptr == other.ptr && self.tagged_len == other.tagged_len
    }

    pub fn as_str(&self) -> &str {
        // Safety: `ptr` and the length are those of a `str` that lives as long as `self` (a
        // static one, or an allocation `self` owns or holds a count of).
        unsafe { &*self.raw_str() }
    }
}

/// The text, cut (at a character boundary) to the longest length a `Text` records: 1 GiB on a
/// 32-bit target, far more than any input the simulator accepts (manifests and lesson
/// files are capped at 1 MiB), so nothing is ever cut in practice.
fn fit(text: &str) -> &str {
    if text.len() <= LEN_MASK {
        return text;
    }
    let mut end = LEN_MASK;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl Clone for Text {
    fn clone(&self) -> Text {
        match self.kind() {
            Kind::Static => Text {
                ptr: self.ptr,
                tagged_len: self.tagged_len,
            },
            Kind::Shared => {
                // Safety: `raw_str` is the pointer `Arc::into_raw` gave, and `self` holds one
                // of its counts, so the allocation is alive.
                unsafe { Arc::increment_strong_count(self.raw_str()) };
                Text {
                    ptr: self.ptr,
                    tagged_len: self.tagged_len,
                }
            }
            Kind::Owned => Text::from(String::from(self.as_str())),
        }
    }
}

impl Drop for Text {
    fn drop(&mut self) {
        match self.kind() {
            Kind::Static => {}
            // Safety: the pointer came from `Arc::into_raw` and this text's count is given
            // back once.
            Kind::Shared => unsafe { drop(Arc::from_raw(self.raw_str())) },
            // Safety: the pointer came from `Box::into_raw` and this text owns it alone.
            Kind::Owned => unsafe { drop(Box::from_raw(self.raw_str() as *mut str)) },
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::from("")
    }
}

impl From<&'static str> for Text {
    fn from(text: &'static str) -> Text {
        let text = fit(text);
        Text::from_raw(text.as_ptr(), text.len(), Kind::Static)
    }
}

impl From<String> for Text {
    fn from(mut text: String) -> Text {
        if text.len() > LEN_MASK {
            text = fit(&text).to_string();
        }
        let len = text.len();
        // `into_boxed_str` drops spare capacity (most messages are joined to their exact
        // length and have none).
        let raw = Box::into_raw(text.into_boxed_str());
        Text::from_raw(raw as *const u8, len, Kind::Owned)
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
    fn a_text_is_two_words_and_an_absent_one_costs_nothing() {
        assert_eq!(
            std::mem::size_of::<Text>(),
            2 * std::mem::size_of::<usize>()
        );
        assert_eq!(
            std::mem::size_of::<Option<Text>>(),
            std::mem::size_of::<Text>()
        );
    }

    #[test]
    fn clones_outlive_the_text_they_came_from_and_free_once() {
        // Every kind, empty and not: clones read the same after the original is gone, and
        // dropping all of them frees each allocation once (a double free would abort the test).
        let made = || {
            vec![
                Text::from(""),
                Text::from("CompletionsReached"),
                Text::shared(""),
                Text::shared("every-minute-29000000"),
                Text::from(String::new()),
                Text::from(String::from("Created pod: bulk-x7k2p")),
                Text::from(String::with_capacity(64) + "spare capacity"),
            ]
        };
        let expected: Vec<String> = made().iter().map(|t| t.to_string()).collect();
        let clones: Vec<Vec<Text>> = {
            let originals = made();
            (0..3).map(|_| originals.clone()).collect()
        };
        for copy in &clones {
            let read: Vec<&str> = copy.iter().map(|t| t.as_str()).collect();
            assert_eq!(read, expected);
        }
        let shared = Text::shared("job-a");
        let twin = shared.clone();
        assert!(shared.same_shared(&twin));
        assert!(!shared.same_shared(&Text::shared("job-a")));
        assert_eq!(shared, Text::shared("job-a"));
    }

    #[test]
    fn decimals_print_as_the_formatter_prints_them() {
        for n in [0, 7, -7, 10, 99, 29460061, -1000, i64::MAX, i64::MIN] {
            assert_eq!(Decimal::new(n).as_str(), n.to_string());
        }
    }
}

//! `Text`: the strings of a timeline — object names, event messages, condition reasons — stored
//! so that a month of a CronJob (tens of thousands of Jobs, pods and events) neither allocates
//! nor frees each of them one by one.
//!
//! A pod's name is in its record, in its Job's `SuccessfulCreate` message and in every event
//! about it; a Job's name is in its record, its pods' records and its events. Each is written
//! once, and every clone is a count on the block that holds it (see `pool`). Fixed texts
//! (`"Job completed"`, `"CompletionsReached"`) are `&'static str` and cost nothing.
//!
//! `Text` reads as a `&str` (`Deref`, `as_str`), compares with `str`/`String`, prints with
//! `Display` and serialises as a plain JSON string, so it is a drop-in for `String` in the
//! timeline's fields and the JSON contract does not change.

use serde::{Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;

/// A string of the timeline (see the module documentation).
///
/// Two words: where the bytes are and how many, with the kind of text in the length's top two
/// bits. An enum of `&'static str` and `Box<str>` would be three words (a tag beside the largest
/// variant), and every record holds several texts: an event two, a Job's record eight. At two
/// words a month of a CronJob keeps 9 % fewer bytes, and `Option<Text>` costs nothing more.
///
/// This module holds the crate's only `unsafe` code. It keeps to one rule: `ptr` and the length
/// come from a `&'static str`, from `pool::put` (which counted the text on its block), or from a
/// `Box<str>` turned into a raw pointer, and are handed back to the same kind to clone or free
/// (`Kind` says which). A text stays on the thread that made it (see `pool`).
pub struct Text {
    ptr: NonNull<u8>,
    /// The length in bytes; the top two bits are the `Kind`.
    tagged_len: usize,
    /// Neither `Send` nor `Sync` (see `pool`).
    _one_thread: PhantomData<*const u8>,
}

/// Where a text's bytes live, which decides what cloning and dropping it do.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// Fixed text (`&'static str`): clones copy the pointer, nothing is freed.
    Static = 0,
    /// Text written into a pool block (nearly all made texts): a clone counts one more holder of
    /// the block, a drop one fewer, and the block is freed with its last text.
    Pooled = 1,
    /// Text too long for a pool block (or made while the thread is being torn down), from a
    /// `Box<str>`: cloning copies it.
    Owned = 2,
}

const KIND_SHIFT: u32 = usize::BITS - 2;
const LEN_MASK: usize = (1 << KIND_SHIFT) - 1;

impl Text {
    /// A text holding a copy of `text`.
    pub fn new(text: &str) -> Text {
        Text::concat(&[text])
    }

    /// A text holding the parts joined, written straight into its place (a CronJob's Job names
    /// and most event messages are made this way, tens of thousands of times a month).
    pub fn concat(parts: &[&str]) -> Text {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if len == 0 {
            return Text::from("");
        }
        match pool::put(parts, len) {
            Some(ptr) => Text::from_raw(ptr.as_ptr(), len, Kind::Pooled),
            None => Text::boxed(parts.concat()),
        }
    }

    /// `text` in a `Box<str>` of its own (cut to the longest length a `Text` records).
    fn boxed(mut text: String) -> Text {
        if text.len() > LEN_MASK {
            text = fit(&text).to_string();
        }
        let len = text.len();
        // `into_boxed_str` drops spare capacity.
        let raw = Box::into_raw(text.into_boxed_str());
        Text::from_raw(raw as *const u8, len, Kind::Owned)
    }

    fn from_raw(ptr: *const u8, len: usize, kind: Kind) -> Text {
        // The pointer of a `&str`, `Box<str>` or pool text is never null (a dangling but
        // non-null one when the text is empty).
        let ptr = NonNull::new(ptr as *mut u8).unwrap_or(NonNull::dangling());
        Text {
            ptr,
            tagged_len: len | (kind as usize) << KIND_SHIFT,
            _one_thread: PhantomData,
        }
    }

    fn kind(&self) -> Kind {
        match self.tagged_len >> KIND_SHIFT {
            0 => Kind::Static,
            1 => Kind::Pooled,
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

    /// Whether both are the same pooled text (clones of one another): equal without reading
    /// them. The CronJob controller compares its Jobs' names with its status's on every pass,
    /// and those are clones of one another.
    fn same_pooled(&self, other: &Text) -> bool {
        self.kind() == Kind::Pooled && self.ptr == other.ptr && self.tagged_len == other.tagged_len
    }

    pub fn as_str(&self) -> &str {
        // Safety: `ptr` and the length are those of a `str` that lives as long as `self` (a
        // static one, bytes in a pool block `self` holds a count of, or a box `self` owns).
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
            Kind::Static => {}
            // Safety: `self` holds a count of the block, so the block is alive.
            Kind::Pooled => unsafe { pool::retain(self.ptr) },
            Kind::Owned => return Text::boxed(String::from(self.as_str())),
        }
        Text {
            ptr: self.ptr,
            tagged_len: self.tagged_len,
            _one_thread: PhantomData,
        }
    }
}

impl Drop for Text {
    fn drop(&mut self) {
        match self.kind() {
            Kind::Static => {}
            // Safety: `self` holds one count of the block and gives it back once.
            Kind::Pooled => unsafe { pool::release(self.ptr) },
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
    fn from(text: String) -> Text {
        Text::new(&text)
    }
}

/// The blocks pooled texts are written into.
///
/// Each thread writes its new texts one after another into its current block, a 32 KiB
/// allocation aligned to its size whose first word counts the texts in it (and the thread, while
/// the block is its current one). A text finds its block's count by rounding its own address
/// down to the block size, so cloning or dropping it touches that one word — shared by a few
/// hundred texts and so nearly always in the cache — and never the text's own bytes. The block is
/// freed when its last text is. A month of a CronJob writes some 300 000 texts into about 500
/// blocks: dropping its timeline used to free each text's allocation, a cache miss apiece, and
/// took a quarter of the run (stop 17's notes in `docs/notes/sim-perf.md`).
///
/// The price is that one long-lived text keeps its whole block alive. Texts live as long as the
/// timeline they are in, and a view that keeps a few (the app's) keeps a few blocks.
///
/// A block and its texts belong to the thread that made them: `Text` is neither `Send` nor
/// `Sync`, so the counts are plain integers, not atomics (an atomic add or subtract costs several
/// times as much, and a timeline's drop does one for each of its texts). Nothing moves a timeline
/// between threads: the app has one, and the command line and the benches simulate on the
/// thread that reads the result.
mod pool {
    use std::alloc::{alloc, dealloc, handle_alloc_error, Layout};
    use std::cell::Cell;
    use std::ptr::NonNull;

    /// A block's size and alignment.
    const BLOCK: usize = 32 * 1024;
    /// The count, at the start of the block (texts need no alignment of their own).
    const HEADER: usize = std::mem::size_of::<Cell<usize>>();
    /// Longer texts get a box of their own: a block holds at least 64 of them, so the space a
    /// block leaves unused at its end stays small.
    pub const LONGEST: usize = (BLOCK - HEADER) / 64;

    fn layout() -> Layout {
        // A power of two, within `isize::MAX`: the layout is always valid.
        Layout::from_size_align(BLOCK, BLOCK).unwrap_or(Layout::new::<Cell<usize>>())
    }

    /// The thread's current block and how many of its bytes are written.
    struct Current {
        block: Cell<*mut u8>,
        used: Cell<usize>,
    }

    impl Drop for Current {
        fn drop(&mut self) {
            let block = self.block.get();
            if !block.is_null() {
                // Safety: the thread holds one count of its current block.
                unsafe { release_block(block) };
            }
        }
    }

    thread_local! {
        static CURRENT: Current = const {
            Current {
                block: Cell::new(std::ptr::null_mut()),
                used: Cell::new(0),
            }
        };
    }

    /// Writes the parts (`len` bytes in all, not 0) into the thread's current block, or a new
    /// one when they do not fit, and counts the text on it. `None` when the text is longer than
    /// `LONGEST` or the thread is being torn down: the caller boxes it instead.
    pub fn put(parts: &[&str], len: usize) -> Option<NonNull<u8>> {
        if len > LONGEST {
            return None;
        }
        CURRENT
            .try_with(|current| {
                let mut block = current.block.get();
                let mut used = current.used.get();
                if block.is_null() || used + len > BLOCK {
                    if !block.is_null() {
                        // Safety: the thread held one count of its current block.
                        unsafe { release_block(block) };
                    }
                    block = new_block();
                    used = HEADER;
                }
                // Safety: `block` is a live block the thread holds a count of, and the
                // `len` bytes from `used` are within it and not yet written.
                unsafe {
                    let mut at = block.add(used);
                    let start = at;
                    for part in parts {
                        std::ptr::copy_nonoverlapping(part.as_ptr(), at, part.len());
                        at = at.add(part.len());
                    }
                    let count = count(block);
                    count.set(count.get() + 1);
                    current.block.set(block);
                    current.used.set(used + len);
                    NonNull::new(start)
                }
            })
            .ok()
            .flatten()
    }

    /// A new block with a count of one (the thread's).
    fn new_block() -> *mut u8 {
        // Safety: the layout has a non-zero size.
        let block = unsafe { alloc(layout()) };
        if block.is_null() {
            handle_alloc_error(layout());
        }
        // Safety: the block is `BLOCK` bytes, aligned for a `Cell<usize>`.
        unsafe { (block as *mut Cell<usize>).write(Cell::new(1)) };
        block
    }

    /// The count of the block holding the byte at `ptr`.
    ///
    /// # Safety
    /// `ptr` points into a live block.
    unsafe fn count<'a>(ptr: *mut u8) -> &'a Cell<usize> {
        let block = ptr.map_addr(|addr| addr & !(BLOCK - 1));
        unsafe { &*(block as *const Cell<usize>) }
    }

    /// One more holder of the block of the text at `ptr`.
    ///
    /// # Safety
    /// `ptr` is a pooled text's pointer, and its holder keeps the block alive meanwhile.
    pub unsafe fn retain(ptr: NonNull<u8>) {
        let count = unsafe { count(ptr.as_ptr()) };
        // As `Rc` does: a count this high can only come from texts forgotten without being
        // dropped, and wrapping it would free the block under live texts.
        if count.get() == usize::MAX {
            std::process::abort();
        }
        count.set(count.get() + 1);
    }

    /// One holder fewer of the block of the text at `ptr`; the last frees it.
    ///
    /// # Safety
    /// `ptr` is a pooled text's pointer whose holder gives its count back once.
    pub unsafe fn release(ptr: NonNull<u8>) {
        let block = ptr.as_ptr().map_addr(|addr| addr & !(BLOCK - 1));
        unsafe { release_block(block) }
    }

    /// # Safety
    /// `block` is a live block whose holder gives its count back once.
    unsafe fn release_block(block: *mut u8) {
        let count = unsafe { count(block) };
        count.set(count.get() - 1);
        if count.get() == 0 {
            unsafe { dealloc(block, layout()) };
        }
    }

    /// How many texts (and threads) hold the block of the text at `ptr`, for tests.
    #[cfg(test)]
    pub fn holders(ptr: NonNull<u8>) -> usize {
        unsafe { count(ptr.as_ptr()) }.get()
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
    // One copy, not one at every comparison: the instruction cache is the CronJob run's limit.
    #[inline(never)]
    fn eq(&self, other: &Text) -> bool {
        if self.same_pooled(other) {
            return true;
        }
        let (a, b) = (self.as_bytes(), other.as_bytes());
        // Names compared with each other (a CronJob's Jobs, a Job's pods) share their prefix and
        // differ at the end: the last byte settles most of them without a call to `memcmp`
        // (711 000 calls in a month of a `*/1` CronJob).
        a.len() == b.len() && a.last() == b.last() && a == b
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
        if self.same_pooled(other) {
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

/// "00" to "99", one after another.
const DIGIT_PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

impl Decimal {
    pub fn new(n: i64) -> Decimal {
        // 20 bytes hold every i64, `-9223372036854775808` included.
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        let mut rest = n.unsigned_abs();
        // Two digits a step, as the standard library's formatter does: half the divisions.
        while rest >= 100 {
            let pair = (rest % 100) as usize * 2;
            rest /= 100;
            start -= 2;
            digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        }
        if rest >= 10 {
            let pair = rest as usize * 2;
            start -= 2;
            digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        } else {
            start -= 1;
            digits[start] = b'0' + rest as u8;
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
    use super::{pool, Decimal, Kind, Text};

    #[test]
    fn concat_joins_short_and_long_parts_alike() {
        let long = "ü".repeat(100);
        let longer = "x".repeat(pool::LONGEST + 1);
        for parts in [
            vec![],
            vec!["every-minute", "-", "29000000"],
            vec!["é", "", "ß"],
            vec![long.as_str(), "-", "7"],
            vec![longer.as_str()],
        ] {
            assert_eq!(Text::concat(&parts), parts.concat());
        }
        assert_eq!(Text::concat(&["a", "b"]).kind(), Kind::Pooled);
        assert_eq!(Text::new(&longer).kind(), Kind::Owned);
        assert_eq!(Text::new("").kind(), Kind::Static);
    }

    #[test]
    fn every_kind_of_text_reads_compares_and_serialises_as_its_string() {
        let texts = [
            Text::from("pod-abcde"),
            Text::new("pod-abcde"),
            Text::from("pod-abcde".to_string()),
        ];
        for t in &texts {
            assert_eq!(t, &texts[0]);
            assert_eq!(*t, "pod-abcde");
            assert_eq!(t.as_str(), "pod-abcde");
            assert_eq!(format!("{t} {t:?}"), "pod-abcde \"pod-abcde\"");
            assert_eq!(serde_json::to_string(t).unwrap(), "\"pod-abcde\"");
        }
        let (a, b) = (Text::from("a"), Text::new("b"));
        assert!(a < b);
        assert_eq!(Text::default(), "");
        // Equal lengths: differing at the end, in the middle, or not at all.
        let name = Text::new("every-minute-29460001");
        assert_ne!(name, Text::new("every-minute-29460003"));
        assert_ne!(name, Text::new("every-minute-29470001"));
        assert_eq!(name, Text::new("every-minute-29460001"));
        assert_eq!(Text::new(""), Text::from(""));
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
        let long = "y".repeat(pool::LONGEST + 10);
        let made = || {
            vec![
                Text::from(""),
                Text::from("CompletionsReached"),
                Text::new(""),
                Text::new("every-minute-29000000"),
                Text::from(String::new()),
                Text::from(String::from("Created pod: bulk-x7k2p")),
                Text::from(String::with_capacity(64) + "spare capacity"),
                Text::new(&long),
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
        let shared = Text::new("job-a");
        let twin = shared.clone();
        assert!(shared.same_pooled(&twin));
        assert!(!shared.same_pooled(&Text::new("job-a")));
        assert_eq!(shared, Text::new("job-a"));
    }

    #[test]
    fn a_block_counts_its_texts_and_goes_with_the_last_one() {
        // On a thread of its own, so that no other test writes into the same block, and so that
        // the thread's end (which lets go of its current block) comes into it.
        std::thread::spawn(|| {
            let first = Text::new("first");
            // The thread's hold and `first`.
            assert_eq!(pool::holders(first.ptr), 2);
            let second = Text::concat(&["sec", "ond"]);
            let clone = first.clone();
            assert_eq!(pool::holders(first.ptr), 4);
            drop((first, second));
            assert_eq!(pool::holders(clone.ptr), 2);
            // Fill the block: the thread moves on to a new one and lets go of this one, whose
            // only holder is now `clone`.
            let filler = "z".repeat(pool::LONGEST);
            let fill: Vec<Text> = (0..70).map(|_| Text::new(&filler)).collect();
            let in_first_block = fill.iter().filter(|t| same_block(t, &clone)).count();
            assert!(in_first_block < 70);
            assert_eq!(pool::holders(clone.ptr), 1 + in_first_block);
            drop(fill);
            assert_eq!(pool::holders(clone.ptr), 1);
            assert_eq!(clone, "first");
        })
        .join()
        .unwrap();
    }

    fn same_block(a: &Text, b: &Text) -> bool {
        let block = |t: &Text| t.ptr.as_ptr() as usize / (32 * 1024);
        block(a) == block(b)
    }

    #[test]
    fn decimals_print_as_the_formatter_prints_them() {
        let powers = (0..19)
            .map(|e| 10i64.pow(e))
            .flat_map(|p| [p - 1, p, p + 1]);
        let special = [29460061, i64::MAX, i64::MIN, i64::MIN + 1];
        for n in (-1_000..1_000).chain(powers).chain(special) {
            assert_eq!(Decimal::new(n).as_str(), n.to_string());
            assert_eq!(
                Decimal::new(-n.max(i64::MIN + 1)).as_str(),
                (-n.max(i64::MIN + 1)).to_string()
            );
        }
    }
}

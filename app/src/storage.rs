//! Progress in the browser: one versioned `localStorage` key, export to a JSON file and import back.
//! The rules (what is readable, how old data migrates) live in `progress.rs`; this module only moves
//! text between that and the browser. Unreadable data is copied aside under another key and the
//! learner is told; it is never silently dropped.

use crate::progress::{self, Parsed, Progress};
use wasm_bindgen::JsCast;

/// The one key Batch Lab stores progress under.
pub const KEY: &str = "batchlab.progress";
/// Where unreadable progress is kept aside (with `.2`, `.3`… if that is taken by other text).
pub const ASIDE_KEY: &str = "batchlab.progress.unreadable";
/// How many set-aside copies we look for a free key among, so the search is bounded.
const ASIDE_SLOTS: u32 = 20;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Progress as found at startup.
pub struct Loaded {
    pub progress: Progress,
    /// A sentence for the learner if something needs saying (migrated, kept aside, not saving).
    pub notice: Option<String>,
    /// False when saving would overwrite data we could neither read nor keep aside.
    pub may_save: bool,
}

impl Loaded {
    fn fine(progress: Progress, notice: Option<String>) -> Loaded {
        Loaded {
            progress,
            notice,
            may_save: true,
        }
    }
}

/// Read progress at startup.
pub fn load() -> Loaded {
    let Some(storage) = local_storage() else {
        return Loaded::fine(
            Progress::default(),
            Some("This browser does not let Batch Lab keep progress: it will be lost when you close the page.".into()),
        );
    };
    let stored = storage.get_item(KEY).ok().flatten();
    match progress::parse(stored.as_deref()) {
        Ok(Parsed::Empty) => Loaded::fine(Progress::default(), None),
        Ok(Parsed::Current(p)) => Loaded::fine(p, None),
        Ok(Parsed::Migrated { from, progress }) => {
            save(&progress);
            Loaded::fine(
                progress,
                Some(format!(
                    "Your saved progress was from an older version of Batch Lab (format {from}) and has been updated."
                )),
            )
        }
        Err(reason) => keep_aside(&storage, stored.unwrap_or_default(), &reason),
    }
}

/// Copy unreadable text to a free aside key and start afresh; if that fails, leave it where it is
/// and do not save over it.
fn keep_aside(storage: &web_sys::Storage, text: String, reason: &str) -> Loaded {
    let aside = aside_key(|k| {
        storage
            .get_item(k)
            .ok()
            .flatten()
            .is_some_and(|t| t != text)
    });
    match aside {
        Some(k) if storage.set_item(&k, &text).is_ok() => Loaded::fine(
            Progress::default(),
            Some(format!(
                "Your saved progress could not be read because {reason}. It has been kept, unchanged, in this browser's storage under \"{k}\", and you are starting afresh."
            )),
        ),
        _ => Loaded {
            progress: Progress::default(),
            notice: Some(format!(
                "Your saved progress could not be read because {reason}. It has been left untouched, and nothing you do now will be saved over it until you reset progress."
            )),
            may_save: false,
        },
    }
}

/// The first free key to keep unreadable data aside under. `taken` says whether a key already holds
/// *different* text (the same text there means it was kept on an earlier visit: reuse it).
pub fn aside_key(taken: impl Fn(&str) -> bool) -> Option<String> {
    (1..=ASIDE_SLOTS)
        .map(|n| {
            if n == 1 {
                ASIDE_KEY.to_string()
            } else {
                format!("{ASIDE_KEY}.{n}")
            }
        })
        .find(|k| !taken(k))
}

/// Save progress; false when the browser refused (storage full or disabled).
pub fn save(progress: &Progress) -> bool {
    local_storage().is_some_and(|s| s.set_item(KEY, &progress.to_json()).is_ok())
}

/// Offer the progress as a downloaded JSON file.
pub fn export(progress: &Progress) -> Result<(), String> {
    let failed = |what: &str| format!("Could not export progress: {what}.");
    let parts = js_sys::Array::of1(&progress.to_json().into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| failed("the browser could not create the file"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| failed("the browser could not create the file"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| failed("no document"))?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| failed("no link"))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download("batchlab-progress.json");
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Read an exported file back into progress (migrating it if it is older).
pub async fn import(file: web_sys::File) -> Result<Progress, String> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|v| v.as_string())
        .ok_or("Could not read that file.")?;
    match progress::parse(Some(&text)) {
        Ok(Parsed::Current(p)) | Ok(Parsed::Migrated { progress: p, .. }) => Ok(p),
        Ok(Parsed::Empty) => Err("That file is empty.".into()),
        Err(reason) => Err(format!(
            "That file is not Batch Lab progress: {reason}. Nothing was changed."
        )),
    }
}

/// Ask the learner a yes/no question (the browser's own confirm dialog: keyboard and screen-reader
/// friendly out of the box).
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_free_aside_key_is_chosen() {
        assert_eq!(aside_key(|_| false).as_deref(), Some(ASIDE_KEY));
        let taken = |k: &str| k == ASIDE_KEY || k == "batchlab.progress.unreadable.2";
        assert_eq!(
            aside_key(taken).as_deref(),
            Some("batchlab.progress.unreadable.3")
        );
        assert_eq!(aside_key(|_| true), None);
    }
}

//! The learner's progress: what survives a reload. This module is pure (no browser): the `Progress`
//! value, the actions that change it (a Yew reducer), and reading it back from stored JSON, migrating
//! older versions. `storage.rs` is the thin layer that puts it in `localStorage`.
//!
//! Everything is keyed by plain strings built with [`key`] (`"<unit>/<block>"`), and kept in
//! `BTreeMap`s so the exported JSON is stable and diffable.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use yew::Reducible;

/// The version written today. Bump it when the shape changes and add a step to [`migrate`].
pub const VERSION: u32 = 2;

/// The key of a block inside a unit: `"<unit id>/<block id>"`.
pub fn key(unit: &str, block: &str) -> String {
    format!("{unit}/{block}")
}

/// A learner's own version of an exercise's manifest, with the hash of the starter it was based on,
/// so a later change to the lesson's starter is noticed rather than silently hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Edit {
    pub text: String,
    /// Hash of the starter the learner began from; `None` when unknown (data migrated from v1).
    pub starter_hash: Option<String>,
}

/// Everything Batch Lab remembers about one learner.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Progress {
    /// Checklist key → the ids of the items ticked.
    pub checklists: BTreeMap<String, BTreeSet<String>>,
    /// Confidence block key → rating (1 = not at all … 5 = could teach it).
    pub confidence: BTreeMap<String, u8>,
    /// Exercise key → the learner's edited manifest.
    pub edits: BTreeMap<String, Edit>,
    /// Quiz key → the learner's answer: the text of the choice picked, or the short answer given.
    /// (Choice text rather than position, so a reordered question still shows the right pick.)
    pub quiz_answers: BTreeMap<String, String>,
    /// Exercise keys whose goals have all been met at least once.
    pub completed: BTreeSet<String>,
    /// The route (hash path) last visited, for "continue where you left off".
    pub last_visited: Option<String>,
}

/// The stored envelope: the version next to the data, so a reader knows how to migrate it.
#[derive(Serialize)]
struct Stored<'a> {
    version: u32,
    #[serde(flatten)]
    progress: &'a Progress,
}

impl Progress {
    /// The JSON stored in `localStorage` and written by "Export progress".
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&Stored {
            version: VERSION,
            progress: self,
        })
        // A struct of strings, maps and sets always serializes.
        .unwrap_or_default()
    }

    pub fn is_done(&self, exercise_key: &str) -> bool {
        self.completed.contains(exercise_key)
    }

    pub fn is_ticked(&self, checklist_key: &str, item: &str) -> bool {
        self.checklists
            .get(checklist_key)
            .is_some_and(|items| items.contains(item))
    }

    /// How many of the given checklist's items are ticked.
    pub fn ticked_count(&self, checklist_key: &str) -> usize {
        self.checklists.get(checklist_key).map_or(0, BTreeSet::len)
    }
}

/// What reading stored progress found.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// Nothing was stored: a first visit.
    Empty,
    /// Current-version data.
    Current(Progress),
    /// Older data, brought up to date.
    Migrated { from: u32, progress: Progress },
}

/// Read stored progress text. An `Err` carries, in words, why it cannot be read; the caller keeps
/// the text aside and tells the learner, never discarding it.
pub fn parse(stored: Option<&str>) -> Result<Parsed, String> {
    let Some(text) = stored.filter(|t| !t.trim().is_empty()) else {
        return Ok(Parsed::Empty);
    };
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("it is not valid JSON ({e})"))?;
    let Some(object) = value.as_object() else {
        return Err("it is not a JSON object".into());
    };
    let version = match object.get("version") {
        None => return Err("it has no `version` field".into()),
        Some(v) => v
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or("its `version` is not a whole number")?,
    };
    if version == 0 || version > VERSION {
        return Err(format!(
            "it was written by a different version of Batch Lab (format {version}; this one reads 1 to {VERSION})"
        ));
    }
    let migrated = migrate(value, version)?;
    let progress: Progress = serde_json::from_value(migrated)
        .map_err(|e| format!("its contents do not have the expected shape ({e})"))?;
    Ok(if version == VERSION {
        Parsed::Current(progress)
    } else {
        Parsed::Migrated {
            from: version,
            progress,
        }
    })
}

/// Bring a stored value from `version` to [`VERSION`], one step at a time.
fn migrate(mut value: Value, version: u32) -> Result<Value, String> {
    if version < 2 {
        value = v1_to_v2(value)?;
    }
    Ok(value)
}

/// Version 1 stored an edit as the bare text and called the visited place `lastUnit` (a unit id).
/// Version 2 stores each edit with the starter hash it was based on (unknown for v1 data, so the
/// learner is asked whether to keep it) and a full route in `lastVisited`.
fn v1_to_v2(mut value: Value) -> Result<Value, String> {
    let object = value
        .as_object_mut()
        .ok_or("version 1 data is not an object")?;
    if let Some(Value::Object(edits)) = object.get_mut("edits") {
        for edit in edits.values_mut() {
            if let Value::String(text) = edit {
                *edit = serde_json::json!({ "text": text, "starterHash": null });
            }
        }
    }
    if let Some(Value::String(unit)) = object.remove("lastUnit") {
        object.insert("lastVisited".into(), Value::String(format!("/unit/{unit}")));
    }
    object.insert("version".into(), Value::from(2));
    Ok(value)
}

/// A change to progress. The app dispatches these; the provider saves after each.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    ToggleChecklist {
        key: String,
        item: String,
    },
    SetConfidence {
        key: String,
        rating: u8,
    },
    SaveEdit {
        key: String,
        edit: Edit,
    },
    DiscardEdit {
        key: String,
    },
    MarkCompleted {
        key: String,
    },
    AnswerQuiz {
        key: String,
        answer: String,
    },
    Visit {
        path: String,
    },
    /// Imported from a file.
    Replace(Progress),
    Reset,
}

impl Progress {
    /// Apply one action (the pure core of the reducer).
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::ToggleChecklist { key, item } => {
                let items = self.checklists.entry(key.clone()).or_default();
                if !items.remove(&item) {
                    items.insert(item);
                }
                if items.is_empty() {
                    self.checklists.remove(&key);
                }
            }
            Action::SetConfidence { key, rating } => {
                self.confidence.insert(key, rating.clamp(1, 5));
            }
            Action::SaveEdit { key, edit } => {
                self.edits.insert(key, edit);
            }
            Action::DiscardEdit { key } => {
                self.edits.remove(&key);
            }
            Action::MarkCompleted { key } => {
                self.completed.insert(key);
            }
            Action::AnswerQuiz { key, answer } => {
                self.quiz_answers.insert(key, answer);
            }
            Action::Visit { path } => self.last_visited = Some(path),
            Action::Replace(progress) => *self = progress,
            Action::Reset => *self = Progress::default(),
        }
    }
}

impl Reducible for Progress {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Progress {
        let mut p = Progress::default();
        p.apply(Action::ToggleChecklist {
            key: key("first-job", "ready"),
            item: "limits".into(),
        });
        p.apply(Action::SetConfidence {
            key: key("first-job", "confidence"),
            rating: 4,
        });
        p.apply(Action::SaveEdit {
            key: key("first-job", "hello"),
            edit: Edit {
                text: "kind: Job\n".into(),
                starter_hash: Some("abc".into()),
            },
        });
        p.apply(Action::MarkCompleted {
            key: key("first-job", "hello"),
        });
        p.apply(Action::Visit {
            path: "/unit/first-job/exercise/hello".into(),
        });
        p.apply(Action::AnswerQuiz {
            key: key("first-job", "default-restart-policy"),
            answer: "The API server rejects the Job".into(),
        });
        p
    }

    #[test]
    fn a_quiz_answer_is_kept_and_replaced_by_the_next_one() {
        let mut p = sample();
        let quiz = key("first-job", "default-restart-policy");
        assert_eq!(p.quiz_answers[&quiz], "The API server rejects the Job");
        p.apply(Action::AnswerQuiz {
            key: quiz.clone(),
            answer: "The Job uses `Never`".into(),
        });
        assert_eq!(p.quiz_answers[&quiz], "The Job uses `Never`");
        assert!(p.to_json().contains("\"quizAnswers\""));
        // Data saved before quiz answers were kept reads as having none.
        let older = r#"{"version":2,"checklists":{"u/c":["a"]}}"#;
        let Ok(Parsed::Current(progress)) = parse(Some(older)) else {
            panic!("{:?}", parse(Some(older)));
        };
        assert!(progress.quiz_answers.is_empty());
    }

    #[test]
    fn saved_progress_reads_back_identical() {
        let p = sample();
        assert_eq!(parse(Some(&p.to_json())), Ok(Parsed::Current(p)));
    }

    #[test]
    fn nothing_stored_is_a_first_visit() {
        assert_eq!(parse(None), Ok(Parsed::Empty));
        assert_eq!(parse(Some("  ")), Ok(Parsed::Empty));
    }

    #[test]
    fn version_1_edits_and_last_unit_are_migrated() {
        let v1 = r#"{"version":1,"edits":{"u/e":"kind: Job\n"},"lastUnit":"u",
                     "checklists":{"u/c":["a"]}}"#;
        let Ok(Parsed::Migrated { from, progress }) = parse(Some(v1)) else {
            panic!("v1 data should migrate: {:?}", parse(Some(v1)));
        };
        assert_eq!(from, 1);
        assert_eq!(progress.edits["u/e"].text, "kind: Job\n");
        assert_eq!(progress.edits["u/e"].starter_hash, None);
        assert_eq!(progress.last_visited.as_deref(), Some("/unit/u"));
        assert!(progress.is_ticked("u/c", "a"));
    }

    #[test]
    fn unreadable_data_is_an_error_in_words() {
        let err = parse(Some("{not json")).unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
        let err = parse(Some(r#"{"edits":{}}"#)).unwrap_err();
        assert!(err.contains("no `version`"), "{err}");
        let err = parse(Some(r#"{"version":99}"#)).unwrap_err();
        assert!(err.contains("format 99"), "{err}");
        let err = parse(Some(r#"{"version":2,"completed":7}"#)).unwrap_err();
        assert!(err.contains("expected shape"), "{err}");
    }

    #[test]
    fn ticking_twice_unticks_and_leaves_no_empty_entry() {
        let mut p = Progress::default();
        let toggle = Action::ToggleChecklist {
            key: "u/c".into(),
            item: "a".into(),
        };
        p.apply(toggle.clone());
        assert_eq!(p.ticked_count("u/c"), 1);
        p.apply(toggle);
        assert_eq!(p.ticked_count("u/c"), 0);
        assert!(p.checklists.is_empty());
    }

    #[test]
    fn confidence_is_kept_within_one_to_five() {
        let mut p = Progress::default();
        p.apply(Action::SetConfidence {
            key: "u/k".into(),
            rating: 9,
        });
        assert_eq!(p.confidence["u/k"], 5);
    }

    #[test]
    fn reset_forgets_everything() {
        let mut p = sample();
        p.apply(Action::Reset);
        assert_eq!(p, Progress::default());
    }
}

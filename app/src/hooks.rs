//! Hooks shared by pages: running the engine on a text, debounced as the learner types.

use crate::engine;
use crate::view::{ExerciseView, Outcome};
use gloo::timers::callback::Timeout;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// How long typing must pause before the engine runs again.
pub const DEBOUNCE_MS: u32 = 120;

/// The engine's outcome for `text`: computed just after the first paint (so a page with several
/// exercises appears at once), then again `DEBOUNCE_MS` after the last change. Until the first
/// result, the outcome is empty with a "checking" note.
#[hook]
pub fn use_debounced_run(
    text: String,
    scenario: String,
    exercise: Option<Rc<ExerciseView>>,
) -> Rc<Outcome> {
    let outcome = use_state(|| {
        Rc::new(Outcome {
            no_run_reason: Some("Checking…".into()),
            ..Outcome::default()
        })
    });
    let pending = use_mut_ref(|| None::<Timeout>);
    let first = use_mut_ref(|| true);
    {
        let outcome = outcome.clone();
        use_effect_with(
            (text, scenario, exercise),
            move |(text, scenario, exercise)| {
                let delay = if std::mem::replace(&mut *first.borrow_mut(), false) {
                    0
                } else {
                    DEBOUNCE_MS
                };
                let (text, scenario, exercise) = (text.clone(), scenario.clone(), exercise.clone());
                // Replacing the pending timeout cancels it: only the last edit is computed.
                *pending.borrow_mut() = Some(Timeout::new(delay, move || {
                    let started = now();
                    outcome.set(Rc::new(engine::run(&text, &scenario, exercise.as_deref())));
                    record_after_paint(started);
                }));
            },
        );
    }
    (*outcome).clone()
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Record, for the browser tests' performance report, how long it took from starting the engine to
/// the frame after the result was rendered (`window.batchlabTimings`, milliseconds).
fn record_after_paint(started: f64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let measure = Closure::once_into_js(move || {
        let Some(window) = web_sys::window() else {
            return;
        };
        let key = JsValue::from_str("batchlabTimings");
        let list = js_sys::Reflect::get(&window, &key)
            .ok()
            .filter(|v| v.is_object())
            .map(|v| js_sys::Array::from(&v))
            .unwrap_or_default();
        list.push(&JsValue::from_f64(now() - started));
        let _ = js_sys::Reflect::set(&window, &key, &list);
    });
    let _ = window.request_animation_frame(measure.unchecked_ref());
}

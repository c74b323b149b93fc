//! "Your progress": export it to a JSON file, import it back, or reset it (after a confirm).

use crate::progress::Action;
use crate::state::use_progress;
use crate::storage;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

#[function_component(ProgressPage)]
pub fn progress_page() -> Html {
    let progress = use_progress();
    let message = use_state(|| None::<String>);
    let export = {
        let (progress, message) = (progress.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            message.set(Some(match storage::export(progress.get()) {
                Ok(()) => "Your progress was saved as batchlab-progress.json.".into(),
                Err(e) => e,
            }))
        })
    };
    let import = {
        let (progress, message) = (progress.clone(), message.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (progress, message) = (progress.clone(), message.clone());
            spawn_local(async move {
                match storage::import(file).await {
                    Ok(p)
                        if storage::confirm(
                            "Replace your current progress with the imported file?",
                        ) =>
                    {
                        progress.dispatch(Action::Replace(p));
                        message.set(Some("Progress imported.".into()));
                    }
                    Ok(_) => message.set(Some("Import cancelled; nothing was changed.".into())),
                    Err(e) => message.set(Some(e)),
                }
            });
        })
    };
    let reset = {
        let (progress, message) = (progress.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            if storage::confirm("Reset all your progress? Ticked items, ratings, completed exercises and your edited manifests will be forgotten. Export first if you may want them back.") {
                progress.dispatch(Action::Reset);
                message.set(Some("Your progress was reset.".into()));
            }
        })
    };
    let p = progress.get();
    html! {
        <>
            <h1>{ "Your progress" }</h1>
            <p>{ "Batch Lab keeps your progress in this browser only. Nothing is sent anywhere." }</p>
            <ul>
                <li>{ count(p.completed.len(), "exercise done", "exercises done") }</li>
                <li>{ count(p.edits.len(), "edited manifest", "edited manifests") }</li>
                <li>{ count(p.checklists.values().map(|s| s.len()).sum(), "checklist item ticked", "checklist items ticked") }</li>
                <li>{ count(p.confidence.len(), "confidence rating", "confidence ratings") }</li>
            </ul>
            <div class="progress-tools">
                <button type="button" onclick={export}>{ "Export progress" }</button>
                <label class="button">
                    { "Import progress…" }
                    <input type="file" accept="application/json,.json" class="visually-hidden-file" onchange={import} />
                </label>
                <button type="button" class="danger" onclick={reset}>{ "Reset progress…" }</button>
            </div>
            if let Some(m) = &*message { <p role="status" class="notice">{ m }</p> }
        </>
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

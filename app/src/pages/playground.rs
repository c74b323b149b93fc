//! The free playground: any manifest and scenario, run as the learner types, and a Share button that
//! puts both in the URL fragment (compressed) so the link reproduces the run on any static host.

use crate::components::editor::YamlEditor;
use crate::components::example_menu::ExampleMenu;
use crate::components::exercise::OutcomeView;
use crate::engine;
use crate::hooks::use_debounced_run;
use crate::progress::{Action, Edit};
use crate::route::Route;
use crate::share::{self, Shared};
use crate::state::use_progress;
use batchlab_core::lesson::examples::Example;
use std::rc::Rc;
use yew::prelude::*;
use yew_router::prelude::*;

/// Where the playground's texts are kept between visits (in the progress edits map).
const MANIFEST_KEY: &str = "playground/manifest";
const SCENARIO_KEY: &str = "playground/scenario";

#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    /// Share-link data from the URL, if the page was opened from one.
    #[prop_or_default]
    pub data: Option<AttrValue>,
    /// A playground example to open (a lesson's "try it" link), by id.
    #[prop_or_default]
    pub example: Option<AttrValue>,
}

#[function_component(Playground)]
pub fn playground(props: &PlaygroundProps) -> Html {
    let progress = use_progress();
    let shared = props.data.as_deref().map(share::decode);
    let linked = props
        .example
        .as_deref()
        .map(|id| examples().iter().find(|x| x.id == id).ok_or(id));
    let saved = {
        let p = progress.get();
        let saved = |k: &str| p.edits.get(k).map(|e| e.text.clone());
        Shared {
            manifest: saved(MANIFEST_KEY).unwrap_or_else(engine::sample_manifest),
            scenario: saved(SCENARIO_KEY).unwrap_or_default(),
        }
    };
    let initial = match (&shared, &linked) {
        (Some(Ok(s)), _) => s.clone(),
        (_, Some(Ok(example))) => Shared {
            manifest: example.manifest.clone(),
            scenario: example.scenario.clone(),
        },
        _ => saved.clone(),
    };
    let manifest = use_state(|| initial.manifest.clone());
    let scenario = use_state(|| initial.scenario.clone());
    let link = use_state(|| None::<String>);
    // The texts an opened example replaced, and its title, so Undo can bring them back.
    let replaced = use_state(|| match &linked {
        Some(Ok(example)) => Some((saved, example.title.clone())),
        _ => None,
    });
    let outcome = use_debounced_run((*manifest).clone(), (*scenario).clone(), None);
    {
        let progress = progress.clone();
        let route = use_route::<Route>();
        use_effect_with(route, move |route| {
            if let Some(route) = route {
                progress.dispatch(Action::Visit {
                    path: route.to_path(),
                });
            }
        });
    }

    let keep = |state: UseStateHandle<String>, key: &'static str| {
        let progress = progress.clone();
        let link = link.clone();
        Callback::from(move |value: String| {
            state.set(value.clone());
            link.set(None);
            progress.dispatch(Action::SaveEdit {
                key: key.into(),
                edit: Edit {
                    text: value,
                    starter_hash: None,
                },
            });
        })
    };
    let set_texts = {
        let (keep_manifest, keep_scenario) = (
            keep(manifest.clone(), MANIFEST_KEY),
            keep(scenario.clone(), SCENARIO_KEY),
        );
        move |texts: Shared| {
            keep_manifest.emit(texts.manifest);
            keep_scenario.emit(texts.scenario);
        }
    };
    let on_open_example = {
        let (manifest, scenario, replaced) = (manifest.clone(), scenario.clone(), replaced.clone());
        let set_texts = set_texts.clone();
        Callback::from(move |example: &'static Example| {
            let before = Shared {
                manifest: (*manifest).clone(),
                scenario: (*scenario).clone(),
            };
            replaced.set(Some((before, example.title.clone())));
            set_texts(Shared {
                manifest: example.manifest.clone(),
                scenario: example.scenario.clone(),
            });
        })
    };
    let on_undo = {
        let replaced = replaced.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some((before, _)) = (*replaced).clone() {
                set_texts(before);
                replaced.set(None);
            }
        })
    };
    let on_share = {
        let (manifest, scenario, link) = (manifest.clone(), scenario.clone(), link.clone());
        Callback::from(move |_: MouseEvent| {
            let data = share::encode(&Shared {
                manifest: (*manifest).clone(),
                scenario: (*scenario).clone(),
            });
            let url = share_url(&data);
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
            link.set(Some(url));
        })
    };
    html! {
        <>
            <h1>{ "Playground" }</h1>
            <p>{ "Paste or write any Job, CronJob, ConfigMap or Secret manifests; they are checked and run as you type." }</p>
            if let Some(Err(id)) = &linked {
                <p class="notice" role="alert">{ format!("There is no playground example “{id}”. Showing your last playground instead.") }</p>
            }
            if let Some(Err(why)) = &shared {
                <p class="notice" role="alert">{ format!("This link could not be opened: {why}. Showing your last playground instead.") }</p>
            }
            <ExampleMenu examples={examples()} on_open={on_open_example} />
            if let Some((_, title)) = &*replaced {
                <p class="example-opened" role="status">
                    { format!("Opened the example “{title}”; Undo brings back what you had written. ") }
                    <button type="button" onclick={on_undo}>{ "Undo" }</button>
                </p>
            }
            <div class="playground">
                <section aria-labelledby="pg-manifest-h">
                    <h2 id="pg-manifest-h">{ "Manifests" }</h2>
                    <YamlEditor id="pg-manifest" label="Manifests" value={AttrValue::from((*manifest).clone())}
                        on_change={keep(manifest.clone(), MANIFEST_KEY)} diagnostics={Rc::new(outcome.diagnostics.clone())} checked={outcome.checked} />
                </section>
                <section aria-labelledby="pg-scenario-h">
                    <h2 id="pg-scenario-h">{ "Scenario" }</h2>
                    <p class="muted">{ "Optional: the cluster, timings, container behaviour and faults, as YAML. Leave empty for the defaults." }</p>
                    <YamlEditor id="pg-scenario" label="Scenario" value={AttrValue::from((*scenario).clone())}
                        on_change={keep(scenario.clone(), SCENARIO_KEY)} diagnostics={Rc::new(outcome.scenario_diagnostics.clone())} checked={outcome.checked} />
                    <details class="scenario-reference">
                        <summary>{ "What a scenario can say" }</summary>
                        <pre>{ Html::from_html_unchecked(AttrValue::from(crate::highlight::to_html(batchlab_core::sim::scenario::REFERENCE))) }</pre>
                    </details>
                </section>
            </div>
            <div class="share">
                <button type="button" onclick={on_share}>{ "Share this run" }</button>
                if let Some(url) = &*link {
                    <label class="share-link">
                        { "Link (copy it): " }
                        <input type="text" readonly=true value={url.clone()} onfocus={Callback::from(|e: FocusEvent| {
                            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                            input.select();
                        })} />
                    </label>
                }
            </div>
            <OutcomeView id="pg" outcome={outcome} />
        </>
    }
}

/// The course's playground examples (none if the course did not load).
fn examples() -> &'static [Example] {
    crate::course::course()
        .0
        .as_ref()
        .map(|c| c.examples.as_slice())
        .unwrap_or_default()
}

/// This page's address with the share data as its route, under whatever path the site is hosted.
fn share_url(data: &str) -> String {
    let location = web_sys::window().map(|w| w.location());
    let base = location
        .and_then(|l| {
            Some(format!(
                "{}{}{}",
                l.origin().ok()?,
                l.pathname().ok()?,
                l.search().ok()?
            ))
        })
        .unwrap_or_default();
    format!(
        "{base}#{}",
        Route::Shared {
            data: data.to_string()
        }
        .to_path()
    )
}

//! A unit page: objectives, the sections with their blocks in place (prose, exercises, quizzes,
//! checklists, confidence checks), and the reflection questions. Deep links to a section or an
//! exercise scroll it into view and move focus to its heading.

use crate::components::blocks::{ChecklistBlock, ConfidenceBlock, QuizBlock};
use crate::components::exercise::ExerciseBlock;
use crate::components::Prose;
use crate::engine;
use crate::progress::Action;
use crate::route::Route;
use crate::state::use_progress;
use crate::view::{BlockView, SectionView};
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UnitProps {
    pub id: AttrValue,
    /// The element to bring into view: `sec-<id>` or `ex-<id>`.
    #[prop_or_default]
    pub target: Option<AttrValue>,
}

#[function_component(UnitPage)]
pub fn unit_page(props: &UnitProps) -> Html {
    let progress = use_progress();
    let route = use_route::<Route>();
    {
        let progress = progress.clone();
        use_effect_with(route, move |route| {
            if let Some(route) = route {
                progress.dispatch(Action::Visit {
                    path: route.to_path(),
                });
            }
        });
    }
    {
        use_effect_with(props.target.clone(), |target| {
            let window = web_sys::window();
            let document = window.as_ref().and_then(|w| w.document());
            let targeted = target
                .as_ref()
                .and_then(|t| document.as_ref()?.get_element_by_id(t));
            let element = targeted
                .clone()
                .or_else(|| document.as_ref()?.get_element_by_id("unit-title"));
            if let Some(el) = element {
                el.scroll_into_view();
                let heading = el.query_selector("h2, h3").ok().flatten().unwrap_or(el);
                if let Some(h) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&heading) {
                    let _ = h.focus();
                }
            }
            // A unit opened at its start shows the page from the top (site menu and "Course ›"
            // trail included); the focus stays on the title for screen readers.
            if targeted.is_none() {
                if let Some(w) = window {
                    w.scroll_to_with_x_and_y(0.0, 0.0);
                }
            }
        });
    }
    let Some(unit) = engine::unit(&props.id) else {
        return html! {
            <>
                <h1>{ "Unit not found" }</h1>
                <p>{ format!("There is no unit called “{}”. ", props.id) }<Link<Route> to={Route::Home}>{ "Back to the course" }</Link<Route>></p>
            </>
        };
    };
    let index = engine::units()
        .iter()
        .position(|u| u.id == unit.id)
        .unwrap_or(0);
    let units = engine::units();
    html! {
        <article class="unit">
            <p class="muted"><Link<Route> to={Route::Home}>{ "Course" }</Link<Route>>{ format!(" › Unit {} · {} min", index + 1, unit.minutes) }</p>
            <h1 id="unit-title" tabindex="-1">{ &unit.title }</h1>
            <p class="lead">{ &unit.summary }</p>
            if !unit.objectives.is_empty() {
                <section class="objectives" aria-label="Objectives">
                    <h2>{ "You will be able to" }</h2>
                    <ul>{ for unit.objectives.iter().map(|o| html! { <li><Prose markdown={o.clone()} /></li> }) }</ul>
                </section>
            }
            if unit.sections.iter().filter(|s| !s.title.is_empty()).count() > 1 {
                <nav class="toc" aria-label="Sections">
                    <ol>{ for unit.sections.iter().filter(|s| !s.title.is_empty()).map(|s| html! {
                        <li><Link<Route> to={Route::Section { id: unit.id.clone(), section: s.id.clone() }}>{ &s.title }</Link<Route>></li>
                    }) }</ol>
                </nav>
            }
            { for unit.sections.iter().map(|s| section(&unit.id, s)) }
            if !unit.reflection.is_empty() {
                <section class="reflection" aria-label="Reflection">
                    <h2>{ "Reflect" }</h2>
                    <ul>{ for unit.reflection.iter().map(|r| html! { <li><Prose markdown={r.clone()} /></li> }) }</ul>
                </section>
            }
            <nav class="pager" aria-label="Units">
                if index > 0 {
                    <Link<Route> to={Route::Unit { id: units[index - 1].id.clone() }}>{ format!("← {}", units[index - 1].title) }</Link<Route>>
                }
                if let Some(next) = units.get(index + 1) {
                    <Link<Route> to={Route::Unit { id: next.id.clone() }} classes="next">{ format!("{} →", next.title) }</Link<Route>>
                }
            </nav>
        </article>
    }
}

fn section(unit: &str, s: &SectionView) -> Html {
    html! {
        <section class="unit-section" id={if s.id.is_empty() { None } else { Some(format!("sec-{}", s.id)) }}>
            if !s.title.is_empty() { <h2 tabindex="-1">{ &s.title }</h2> }
            { for s.blocks.iter().map(|b| block(unit, b)) }
        </section>
    }
}

fn block(unit: &str, b: &BlockView) -> Html {
    let unit = AttrValue::from(unit.to_string());
    match b {
        BlockView::Markdown(text) => html! { <Prose markdown={text.clone()} /> },
        BlockView::Exercise(e) => {
            html! { <ExerciseBlock key={e.id.clone()} unit={unit} exercise={e.clone()} /> }
        }
        BlockView::Quiz(q) => html! { <QuizBlock unit={unit} quiz={q.clone()} /> },
        BlockView::Checklist(c) => html! { <ChecklistBlock unit={unit} checklist={c.clone()} /> },
        BlockView::Confidence(c) => html! { <ConfidenceBlock unit={unit} check={c.clone()} /> },
    }
}

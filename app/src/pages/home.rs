//! The course home: the units in order, each with its progress, and "continue where you left off".

use crate::engine;
use crate::progress::{key, Progress};
use crate::route::Route;
use crate::state::use_progress;
use crate::view::UnitView;
use yew::prelude::*;
use yew_router::prelude::*;

#[function_component(Home)]
pub fn home() -> Html {
    let progress = use_progress();
    let p = progress.get();
    let units = engine::units();
    let resume = p
        .last_visited
        .as_deref()
        .and_then(|path| Route::recognize(path).filter(|r| *r != Route::NotFound));
    html! {
        <>
            <h1>{ engine::course_title() }</h1>
            <p class="lead">{ "Write real Job and CronJob manifests, see what the API server would say, and watch a simulated cluster run them." }</p>
            <nav class="resume" aria-label="Continue">
                if let Some(route) = resume {
                    <Link<Route> to={route} classes="button primary">{ "Continue where you left off →" }</Link<Route>>
                } else if let Some(first) = units.first() {
                    <Link<Route> to={Route::Unit { id: first.id.clone() }} classes="button primary">{ "Start the course →" }</Link<Route>>
                }
                <Link<Route> to={Route::Playground} classes="button">{ "Open the playground" }</Link<Route>>
            </nav>
            <h2>{ "Units" }</h2>
            <ol class="unit-list">
                { for units.iter().map(|u| unit_card(u, p)) }
            </ol>
        </>
    }
}

fn unit_card(unit: &UnitView, p: &Progress) -> Html {
    let exercises: Vec<_> = unit.exercises().collect();
    let done = exercises
        .iter()
        .filter(|e| p.is_done(&key(&unit.id, &e.id)))
        .count();
    let (ticked, items) = unit.checklists().fold((0, 0), |(t, n), c| {
        (t + p.ticked_count(&key(&unit.id, &c.id)), n + c.items.len())
    });
    let ratings: Vec<u8> = unit
        .confidence_checks()
        .flat_map(|c| {
            c.statements
                .iter()
                .filter_map(|(s, _)| {
                    p.confidence
                        .get(&key(&unit.id, &format!("{}/{s}", c.id)))
                        .copied()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let complete = !exercises.is_empty() && done == exercises.len();
    html! {
        <li class={classes!("unit-card", complete.then_some("complete"))}>
            <h3><Link<Route> to={Route::Unit { id: unit.id.clone() }}>{ &unit.title }</Link<Route>></h3>
            <p>{ &unit.summary }</p>
            <ul class="unit-stats">
                <li>{ format!("{} min", unit.minutes) }</li>
                if !exercises.is_empty() {
                    <li>
                        <progress max={exercises.len().to_string()} value={done.to_string()} aria-label={format!("Exercises done in {}", unit.title)}></progress>
                        { format!(" {done} of {} exercises done", exercises.len()) }{ if complete { " ✓" } else { "" } }
                    </li>
                }
                if items > 0 { <li>{ format!("{ticked} of {items} checklist items ticked") }</li> }
                if !ratings.is_empty() {
                    <li>{ format!("confidence {:.1} / 5", ratings.iter().map(|&r| f64::from(r)).sum::<f64>() / ratings.len() as f64) }</li>
                }
            </ul>
        </li>
    }
}

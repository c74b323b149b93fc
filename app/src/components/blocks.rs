//! The small interactive blocks of a unit: checklists and confidence ratings (saved as they
//! change) and quizzes (answered in the page, not saved).

use crate::progress::{key, Action};
use crate::state::use_progress;
use crate::view::{ChecklistView, ConfidenceView, QuizView};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChecklistProps {
    pub unit: AttrValue,
    pub checklist: ChecklistView,
}

#[function_component(ChecklistBlock)]
pub fn checklist_block(props: &ChecklistProps) -> Html {
    let progress = use_progress();
    let c = &props.checklist;
    let key = key(&props.unit, &c.id);
    let ticked = progress.get().ticked_count(&key);
    html! {
        <fieldset class="checklist" id={format!("cl-{}", c.id)}>
            <legend>{ &c.title }<span class="muted">{ format!(" — {ticked} of {} ticked", c.items.len()) }</span></legend>
            { for c.items.iter().map(|(item, text)| {
                let toggle = {
                    let (progress, key, item) = (progress.clone(), key.clone(), item.clone());
                    Callback::from(move |_: Event| progress.dispatch(Action::ToggleChecklist { key: key.clone(), item: item.clone() }))
                };
                let id = format!("cl-{}-{}", c.id, item);
                html! {
                    <div class="check-item">
                        <input type="checkbox" id={id.clone()} checked={progress.get().is_ticked(&key, item)} onchange={toggle} />
                        <label for={id}>{ text }</label>
                    </div>
                }
            }) }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct ConfidenceProps {
    pub unit: AttrValue,
    pub check: ConfidenceView,
}

/// Ratings 1–5 per statement, as radio groups (keyboard: arrow keys within a group).
#[function_component(ConfidenceBlock)]
pub fn confidence_block(props: &ConfidenceProps) -> Html {
    let progress = use_progress();
    let c = &props.check;
    let ratings: Vec<Option<u8>> = c
        .statements
        .iter()
        .map(|(id, _)| {
            progress
                .get()
                .confidence
                .get(&key(&props.unit, &format!("{}/{id}", c.id)))
                .copied()
        })
        .collect();
    let all_rated = ratings.iter().all(Option::is_some);
    let any_low = ratings.iter().any(|r| r.is_some_and(|r| r <= 2));
    html! {
        <div class="confidence" id={format!("conf-{}", c.id)}>
            <h3>{ "How confident are you?" }</h3>
            <p class="muted">{ "1 = not at all, 5 = I could explain it to a colleague." }</p>
            { for c.statements.iter().zip(&ratings).map(|((sid, text), rating)| {
                let k = key(&props.unit, &format!("{}/{sid}", c.id));
                html! {
                    <fieldset class="rating">
                        <legend>{ text }</legend>
                        { for (1..=5u8).map(|n| {
                            let set = {
                                let (progress, k) = (progress.clone(), k.clone());
                                Callback::from(move |_: Event| progress.dispatch(Action::SetConfidence { key: k.clone(), rating: n }))
                            };
                            let id = format!("conf-{}-{sid}-{n}", c.id);
                            html! {
                                <span class="rating-choice">
                                    <input type="radio" id={id.clone()} name={format!("conf-{}-{sid}", c.id)}
                                        checked={*rating == Some(n)} onchange={set} />
                                    <label for={id}>{ n }</label>
                                </span>
                            }
                        }) }
                    </fieldset>
                }
            }) }
            if all_rated && !any_low && !c.if_all_high.is_empty() { <p class="advice" role="status">{ &c.if_all_high }</p> }
            if any_low && !c.if_any_low.is_empty() { <p class="advice" role="status">{ &c.if_any_low }</p> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct QuizProps {
    pub quiz: QuizView,
}

#[function_component(QuizBlock)]
pub fn quiz_block(props: &QuizProps) -> Html {
    let q = &props.quiz;
    let chosen = use_state(|| None::<usize>);
    html! {
        <fieldset class="quiz" id={format!("quiz-{}", q.id)}>
            <legend>{ &q.prompt }</legend>
            { for q.choices.iter().enumerate().map(|(i, choice)| {
                let pick = { let chosen = chosen.clone(); Callback::from(move |_: Event| chosen.set(Some(i))) };
                let id = format!("quiz-{}-{i}", q.id);
                html! {
                    <div class="quiz-choice">
                        <input type="radio" id={id.clone()} name={format!("quiz-{}", q.id)} checked={*chosen == Some(i)} onchange={pick} />
                        <label for={id}>{ &choice.text }</label>
                    </div>
                }
            }) }
            if let Some(i) = *chosen {
                if let Some(choice) = q.choices.get(i) {
                    <div class="quiz-feedback" role="status">
                        <p>{ if choice.correct { "✓ Correct." } else { "✗ Not quite." } }{ " " }{ &choice.why }</p>
                        if !q.explanation.is_empty() { <p>{ &q.explanation }</p> }
                    </div>
                }
            }
        </fieldset>
    }
}

//! The small interactive blocks of a unit: checklists, confidence ratings and quiz answers, each
//! saved in progress as it changes.

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
    pub unit: AttrValue,
    pub quiz: QuizView,
}

/// A question: radio buttons for multiple choice, a text field and a Check button for a short
/// answer. The answer is saved in progress as soon as it is given, so a reload shows it and its
/// feedback again.
#[function_component(QuizBlock)]
pub fn quiz_block(props: &QuizProps) -> Html {
    let progress = use_progress();
    let q = &props.quiz;
    let key = key(&props.unit, &q.id);
    let saved = progress.get().quiz_answers.get(&key).cloned();
    let answer = {
        let (progress, key) = (progress.clone(), key.clone());
        Callback::from(move |answer: String| {
            progress.dispatch(Action::AnswerQuiz {
                key: key.clone(),
                answer,
            })
        })
    };
    html! {
        <fieldset class="quiz" id={format!("quiz-{}", q.id)}>
            <legend>{ &q.prompt }</legend>
            if q.choices.is_empty() {
                <ShortAnswer id={q.id.clone()} saved={saved.clone()} onanswer={answer} />
                if let Some(given) = &saved {
                    <div class="quiz-feedback" role="status">
                        <p>{ if q.question.accepts(given) { "✓ Correct." } else { "✗ Not quite." } }</p>
                        if !q.explanation.is_empty() { <p>{ &q.explanation }</p> }
                    </div>
                }
            } else {
                { choices(q, saved.as_deref(), &answer) }
            }
        </fieldset>
    }
}

fn choices(q: &QuizView, saved: Option<&str>, answer: &Callback<String>) -> Html {
    let chosen = saved.and_then(|text| q.choices.iter().position(|c| c.text == text));
    html! {
        <>
            { for q.choices.iter().enumerate().map(|(i, choice)| {
                let pick = {
                    let (answer, text) = (answer.clone(), choice.text.clone());
                    Callback::from(move |_: Event| answer.emit(text.clone()))
                };
                let id = format!("quiz-{}-{i}", q.id);
                html! {
                    <div class="quiz-choice">
                        <input type="radio" id={id.clone()} name={format!("quiz-{}", q.id)} checked={chosen == Some(i)} onchange={pick} />
                        <label for={id}>{ &choice.text }</label>
                    </div>
                }
            }) }
            if let Some(choice) = chosen.and_then(|i| q.choices.get(i)) {
                <div class="quiz-feedback" role="status">
                    <p>{ if choice.correct { "✓ Correct." } else { "✗ Not quite." } }{ " " }{ &choice.why }</p>
                    if !q.explanation.is_empty() { <p>{ &q.explanation }</p> }
                </div>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ShortAnswerProps {
    id: String,
    saved: Option<String>,
    onanswer: Callback<String>,
}

/// The text field of a short-answer question; the answer is given with the Check button or Enter.
#[function_component(ShortAnswer)]
fn short_answer(props: &ShortAnswerProps) -> Html {
    let draft = use_state(|| props.saved.clone().unwrap_or_default());
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            draft.set(input.value());
        })
    };
    let onsubmit = {
        let (draft, onanswer) = (draft.clone(), props.onanswer.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !draft.trim().is_empty() {
                onanswer.emit(draft.trim().to_string());
            }
        })
    };
    let id = format!("quiz-{}-answer", props.id);
    html! {
        <form class="quiz-short" {onsubmit}>
            <label for={id.clone()}>{ "Your answer" }</label>
            <input type="text" id={id} value={(*draft).clone()} {oninput} autocomplete="off" spellcheck="false" />
            <button type="submit">{ "Check" }</button>
        </form>
    }
}

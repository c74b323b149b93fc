//! The goals panel: each goal of an exercise, passed or not, with what was observed.

use crate::view::GoalView;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GoalsProps {
    pub goals: Vec<GoalView>,
}

#[function_component(GoalsPanel)]
pub fn goals_panel(props: &GoalsProps) -> Html {
    let passed = props
        .goals
        .iter()
        .filter(|g| g.passed && !g.unavailable)
        .count();
    let all = passed == props.goals.len();
    html! {
        <div class={classes!("goals", all.then_some("goals-met"))}>
            <h4>
                <span role="status">
                    { if all { format!("All {} goals met ✓", props.goals.len()) }
                      else { format!("Goals: {passed} of {} met", props.goals.len()) } }
                </span>
            </h4>
            <ul>
                { for props.goals.iter().map(|g| {
                    let (symbol, word, class) = match (g.unavailable, g.passed) {
                        (true, _) => ("?", "cannot be checked yet", "goal-unavailable"),
                        (false, true) => ("✓", "met", "goal-met"),
                        (false, false) => ("✗", "not yet", "goal-unmet"),
                    };
                    html! {
                        <li class={classes!("goal", class)}>
                            <span class="goal-mark" aria-hidden="true">{ symbol }</span>
                            <span class="sr-only">{ format!("{word}: ") }</span>
                            <span class="goal-says">{ with_code(&g.says) }</span>
                            if !g.observed.is_empty() { <span class="goal-observed">{ with_code(&g.observed) }</span> }
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// A goal's text with its `backticked` field names and values set as code, as the lesson prose
/// around the exercise shows them. A lone backtick is kept as it is.
fn with_code(text: &str) -> Html {
    let parts: Vec<&str> = text.split('`').collect();
    let paired = parts.len() % 2 == 1;
    html! {
        <>
            { for parts.iter().enumerate().map(|(i, part)| {
                if i % 2 == 1 && paired {
                    html! { <code>{ *part }</code> }
                } else if i % 2 == 1 {
                    html! { { format!("`{part}") } }
                } else {
                    html! { { *part } }
                }
            }) }
        </>
    }
}

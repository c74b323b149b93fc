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
                            <span class="goal-says">{ &g.says }</span>
                            if !g.observed.is_empty() { <span class="goal-observed">{ &g.observed }</span> }
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

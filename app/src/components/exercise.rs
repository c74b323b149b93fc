//! One exercise in place in its unit: the task, the editor over the learner's manifest (saved as they
//! type, with the starter hash it was based on), hints one by one, the solution after a confirm with
//! a diff, the goals panel and the timeline of the run. When the lesson's starter changed since the
//! learner's edit, it says so and offers keep, compare or reset.

use crate::components::diff_view::DiffView;
use crate::components::editor::YamlEditor;
use crate::components::goals::GoalsPanel;
use crate::components::timeline::Timeline;
use crate::components::Prose;
use crate::hooks::use_debounced_run;
use crate::progress::{key, Action, Edit};
use crate::state::use_progress;
use crate::storage::confirm;
use crate::view::{ExerciseView, Outcome};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExerciseProps {
    pub unit: AttrValue,
    pub exercise: Rc<ExerciseView>,
}

/// What is shown under the editor besides the goals and the run.
#[derive(Clone, Copy, PartialEq)]
enum Aside {
    None,
    Solution,
    /// The learner's text against the updated starter.
    CompareStarter,
}

#[function_component(ExerciseBlock)]
pub fn exercise_block(props: &ExerciseProps) -> Html {
    let progress = use_progress();
    let ex = &props.exercise;
    let key = key(&props.unit, &ex.id);
    let saved = progress.get().edits.get(&key).cloned();
    let stale = saved
        .as_ref()
        .is_some_and(|e| e.starter_hash.as_deref() != Some(ex.starter_hash.as_str()));
    let text = use_state(|| {
        saved
            .as_ref()
            .map_or_else(|| ex.starter.clone(), |e| e.text.clone())
    });
    let hints_shown = use_state(|| 0usize);
    let aside = use_state(|| Aside::None);
    let outcome = use_debounced_run((*text).clone(), ex.scenario.clone(), Some(ex.clone()));
    let done = progress.get().is_done(&key);

    // Mark the exercise done the first time every goal passes.
    {
        let progress = progress.clone();
        let key = key.clone();
        use_effect_with(outcome.all_goals_pass(), move |pass| {
            if *pass && !progress.get().is_done(&key) {
                progress.dispatch(Action::MarkCompleted { key });
            }
        });
    }

    let on_change = {
        let text = text.clone();
        let progress = progress.clone();
        let key = key.clone();
        // An edit keeps the starter hash it was based on (an edit made while stale stays stale).
        let base = saved
            .as_ref()
            .map_or(Some(ex.starter_hash.clone()), |e| e.starter_hash.clone());
        Callback::from(move |value: String| {
            text.set(value.clone());
            progress.dispatch(Action::SaveEdit {
                key: key.clone(),
                edit: Edit {
                    text: value,
                    starter_hash: base.clone(),
                },
            });
        })
    };
    let reset = {
        let (text, progress, key, starter) = (
            text.clone(),
            progress.clone(),
            key.clone(),
            ex.starter.clone(),
        );
        let aside = aside.clone();
        Callback::from(move |_: MouseEvent| {
            if confirm(
                "Replace your manifest with the exercise's starter? Your edits will be lost.",
            ) {
                text.set(starter.clone());
                progress.dispatch(Action::DiscardEdit { key: key.clone() });
                aside.set(Aside::None);
            }
        })
    };
    let keep = {
        let (progress, key, hash) = (progress.clone(), key.clone(), ex.starter_hash.clone());
        let text = text.clone();
        let aside = aside.clone();
        Callback::from(move |_: MouseEvent| {
            progress.dispatch(Action::SaveEdit {
                key: key.clone(),
                edit: Edit {
                    text: (*text).clone(),
                    starter_hash: Some(hash.clone()),
                },
            });
            aside.set(Aside::None);
        })
    };
    let show = |which: Aside| {
        let aside = aside.clone();
        Callback::from(move |_: MouseEvent| {
            if *aside == which {
                aside.set(Aside::None);
            } else if which != Aside::Solution
                || confirm("Show the solution? Trying a little longer is how it sticks.")
            {
                aside.set(which);
            }
        })
    };
    let next_hint = {
        let hints_shown = hints_shown.clone();
        let total = ex.hints.len();
        Callback::from(move |_: MouseEvent| hints_shown.set((*hints_shown + 1).min(total)))
    };

    let id = format!("ex-{}", ex.id);
    html! {
        <section class={classes!("exercise", done.then_some("done"))} id={id.clone()} aria-labelledby={format!("{id}-title")}>
            <h3 id={format!("{id}-title")} tabindex="-1">
                { &ex.title }
                if done { <span class="badge badge-done">{ "✓ Done" }</span> }
            </h3>
            <Prose markdown={ex.task.clone()} />
            if stale {
                <div class="stale" role="alert">
                    <p>{ "This exercise was updated since your edit." }</p>
                    <button type="button" onclick={keep}>{ "Keep my version" }</button>
                    <button type="button" onclick={show(Aside::CompareStarter)}>{ "Compare with the new starter" }</button>
                    <button type="button" onclick={reset.clone()}>{ "Reset to the new starter" }</button>
                </div>
            }
            <YamlEditor id={format!("{id}-editor")} label={format!("Manifest for “{}”", ex.title)}
                value={AttrValue::from((*text).clone())} on_change={on_change}
                diagnostics={Rc::new(outcome.diagnostics.clone())} checked={outcome.checked} />
            <div class="exercise-tools">
                <button type="button" onclick={reset}>{ "Reset to starter" }</button>
                if *hints_shown < ex.hints.len() {
                    <button type="button" onclick={next_hint}>
                        { format!("Show hint {} of {}", *hints_shown + 1, ex.hints.len()) }
                    </button>
                }
                <button type="button" onclick={show(Aside::Solution)} aria-expanded={(*aside == Aside::Solution).to_string()}>
                    { if *aside == Aside::Solution { "Hide solution" } else { "Show solution" } }
                </button>
            </div>
            if *hints_shown > 0 {
                <ol class="hints" aria-label="Hints">
                    { for ex.hints.iter().take(*hints_shown).map(|h| html! { <li><Prose markdown={h.clone()} /></li> }) }
                </ol>
            }
            { match *aside {
                Aside::Solution => html! {
                    <div class="solution">
                        <h4>{ "Solution" }</h4>
                        <pre class="code-block"><code>{ &ex.solution }</code></pre>
                        <h4>{ "Your manifest against the solution" }</h4>
                        <DiffView old={(*text).clone()} new={ex.solution.clone()} old_label="yours" new_label="solution" />
                    </div>
                },
                Aside::CompareStarter => html! {
                    <div class="solution">
                        <h4>{ "Your manifest against the updated starter" }</h4>
                        <DiffView old={(*text).clone()} new={ex.starter.clone()} old_label="yours" new_label="new starter" />
                    </div>
                },
                Aside::None => html! {},
            } }
            <OutcomeView id={id} outcome={outcome} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct OutcomeProps {
    pub id: String,
    pub outcome: Rc<Outcome>,
}

/// Goals and the run under an editor.
#[function_component(OutcomeView)]
pub fn outcome_view(props: &OutcomeProps) -> Html {
    let o = &props.outcome;
    html! {
        <>
            if !o.goals.is_empty() { <GoalsPanel goals={o.goals.clone()} /> }
            { match (&o.run, &o.no_run_reason) {
                (Some(run), _) => html! { <Timeline id={format!("{}-timeline", props.id)} run={run.clone()} /> },
                (None, Some(why)) => html! { <p class="no-run muted" role="status">{ why }</p> },
                (None, None) => html! {},
            } }
        </>
    }
}

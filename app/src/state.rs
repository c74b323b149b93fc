//! The progress context: one reducer holding the learner's `Progress`, saved to `localStorage`
//! after every change, shared with every component through a Yew context.

use crate::progress::{Action, Progress};
use crate::storage;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// What components get from `use_progress()`: the progress and a way to change it.
#[derive(Clone, PartialEq)]
pub struct ProgressHandle {
    state: UseReducerHandle<Progress>,
    /// False while stored data that could be neither read nor kept aside must not be overwritten.
    may_save: Rc<Cell<bool>>,
}

impl ProgressHandle {
    pub fn get(&self) -> &Progress {
        &self.state
    }

    pub fn dispatch(&self, action: Action) {
        // Resetting or importing is the learner's explicit decision to replace what is stored.
        if matches!(action, Action::Reset | Action::Replace(_)) {
            self.may_save.set(true);
        }
        self.state.dispatch(action);
    }
}

/// The sentence shown once at startup about stored progress (migrated, kept aside …).
#[derive(Clone, PartialEq)]
pub struct StartupNotice(pub Option<AttrValue>);

#[derive(Properties, PartialEq)]
pub struct ProviderProps {
    pub children: Html,
}

/// Loads progress once, saves it whenever it changes, and provides it to `children`.
#[function_component(ProgressProvider)]
pub fn progress_provider(props: &ProviderProps) -> Html {
    let loaded = use_memo((), |_| storage::load());
    let state = use_reducer_eq({
        let progress = loaded.progress.clone();
        move || progress
    });
    let may_save = use_memo((), |_| Rc::new(Cell::new(loaded.may_save)));
    {
        let may_save = may_save.clone();
        use_effect_with(state.clone(), move |state| {
            if may_save.get() {
                storage::save(state);
            }
        });
    }
    let handle = ProgressHandle {
        state: state.clone(),
        may_save: (*may_save).clone(),
    };
    let notice = StartupNotice(loaded.notice.clone().map(AttrValue::from));
    html! {
        <ContextProvider<ProgressHandle> context={handle}>
            <ContextProvider<StartupNotice> context={notice}>
                { props.children.clone() }
            </ContextProvider<StartupNotice>>
        </ContextProvider<ProgressHandle>>
    }
}

/// The learner's progress, from any component under `ProgressProvider`.
#[hook]
pub fn use_progress() -> ProgressHandle {
    use_context::<ProgressHandle>().expect("every page is rendered inside ProgressProvider")
}

//! "Start from an example": the course's playground examples (`lessons/examples.yaml`) in a menu,
//! with the chosen one's summary, and an Open button that hands its manifests and scenario up.

use batchlab_core::lesson::examples::Example;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExampleMenuProps {
    pub examples: &'static [Example],
    /// Called with the example to open.
    pub on_open: Callback<&'static Example>,
}

#[function_component(ExampleMenu)]
pub fn example_menu(props: &ExampleMenuProps) -> Html {
    let chosen = use_state(|| None::<&'static Example>);
    if props.examples.is_empty() {
        return Html::default();
    }
    let on_choose = {
        let (chosen, examples) = (chosen.clone(), props.examples);
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let id = select.value();
            chosen.set(examples.iter().find(|x| x.id == id));
        })
    };
    let on_open = {
        let (chosen, on_open) = (chosen.clone(), props.on_open.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(example) = *chosen {
                on_open.emit(example);
            }
        })
    };
    html! {
        <div class="example-menu">
            <label for="pg-example">{ "Start from an example" }</label>
            <select id="pg-example" onchange={on_choose} aria-describedby="pg-example-summary">
                <option value="" selected={chosen.is_none()}>{ "Choose one…" }</option>
                { for props.examples.iter().map(|x| html! {
                    <option value={x.id.clone()} selected={chosen.is_some_and(|c| c.id == x.id)}>{ &x.title }</option>
                }) }
            </select>
            <button type="button" onclick={on_open} disabled={chosen.is_none()}>{ "Open" }</button>
            <p id="pg-example-summary" class="muted example-summary">
                { chosen.map(|x| x.summary.clone()).unwrap_or_default() }
            </p>
        </div>
    }
}

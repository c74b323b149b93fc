//! Reusable pieces of the pages. Each module is one component (or a few tiny ones) with one job.

pub mod blocks;
pub mod diff_view;
pub mod editor;
pub mod example_menu;
pub mod exercise;
pub mod goals;
pub mod timeline;

use crate::prose;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProseProps {
    pub markdown: AttrValue,
}

/// Lesson Markdown as HTML, rendered when the app was built (raw HTML in it escaped; see
/// `prose.rs` and `markdown.rs`).
#[function_component(Prose)]
pub fn prose(props: &ProseProps) -> Html {
    let html = use_memo(props.markdown.clone(), |m| prose::to_html(m));
    html! { <div class="prose">{ Html::from_html_unchecked(AttrValue::from((*html).clone())) }</div> }
}

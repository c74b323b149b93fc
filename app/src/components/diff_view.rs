//! A line diff shown as a table: `−` lines only in the first text, `+` lines only in the second.

use crate::diff::{self, Line};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiffProps {
    pub old: AttrValue,
    pub new: AttrValue,
    pub old_label: AttrValue,
    pub new_label: AttrValue,
}

#[function_component(DiffView)]
pub fn diff_view(props: &DiffProps) -> Html {
    let lines = diff::lines(&props.old, &props.new);
    let changed = lines.iter().filter(|l| !matches!(l, Line::Same(_))).count();
    html! {
        <figure class="diff">
            <figcaption>
                { if changed == 0 { "No differences.".to_string() }
                  else { format!("{changed} lines differ: − only in {}, + only in {}", props.old_label, props.new_label) } }
            </figcaption>
            <pre tabindex="0">
                { for lines.iter().map(|l| match l {
                    Line::Same(t) => html! { <span class="diff-same">{ format!("  {t}\n") }</span> },
                    Line::Removed(t) => html! { <del class="diff-del">{ format!("− {t}\n") }</del> },
                    Line::Added(t) => html! { <ins class="diff-add">{ format!("+ {t}\n") }</ins> },
                }) }
            </pre>
        </figure>
    }
}

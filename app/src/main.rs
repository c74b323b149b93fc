//! Batch Lab in the browser: a Yew view over `batchlab-core`. This crate holds no Kubernetes
//! knowledge of its own; it renders what core computes.
//!
//! Map: `app` (shell) → `route` → `pages/*` → `components/*`; `engine` is the only caller of core and
//! turns its results into the shapes in `view`; `state` shares the learner's `progress` (saved by
//! `storage`). The pure helpers (`diff`, `highlight`, `overlay`, `text_edit`, `playback`, `share`)
//! are unit-tested natively with `cargo test -p batchlab-app`.

mod app;
mod components;
mod course;
mod diff;
mod engine;
mod highlight;
mod hooks;
#[cfg(test)]
mod markdown;
mod overlay;
mod pages;
mod playback;
mod progress;
mod prose;
mod route;
mod share;
mod state;
mod storage;
mod text_edit;
mod view;

fn main() {
    yew::Renderer::<app::App>::new().render();
}

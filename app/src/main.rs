//! Batch Lab in the browser: a Yew view over `batchlab-core`. This crate holds no Kubernetes
//! knowledge of its own; it renders what core computes.

mod course;
mod markdown;
mod pages;

fn main() {
    yew::Renderer::<pages::App>::new().render();
}

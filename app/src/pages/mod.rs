//! The pages behind the routes.

pub mod home;
pub mod playground;
pub mod progress_page;
pub mod unit;

//! marsad serve against a real store on a loopback port, over real HTTP.

mod api;
mod fuzz;
mod ingest;
mod openapi;
mod support;

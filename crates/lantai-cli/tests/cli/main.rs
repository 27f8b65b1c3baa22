//! The `lantai` binary driven as a user would: serve, ingest, eval, and a kill in mid-batch.

mod helpers;

mod audit;
mod backup;
mod crash;
mod eval;
mod help;
mod ingest;
mod report;
mod serve;

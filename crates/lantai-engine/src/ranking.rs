//! Learning from usage, as the engine runs it: the model is folded from the event log (the
//! truth), kept in memory, saved in sled now and then so a restart replays only what came
//! after, and applied to every search.

use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use lantai_model::{SearchLog, UsageEvent};
use lantai_rank::{Interaction, ModelSummary, RankModel, Session};
use tracing::{info, warn};

use crate::clock::now;
use crate::engine::Engine;
use crate::error::Result;

/// Events between two saves of the model.
const SAVE_EVERY: u64 = 1000;
const MODEL_KEY: &str = "model";

/// The in-memory model.
#[derive(Default)]
pub(crate) struct Ranking {
    model: RwLock<RankModel>,
}

impl Ranking {
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, RankModel> {
        self.model.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, RankModel> {
        self.model.write().unwrap_or_else(|p| p.into_inner())
    }
}

/// The whole query as a key: normalised, spaces collapsed (an exact repeat is strong evidence).
pub(crate) fn query_key(q: &str) -> String {
    lantai_text::normalize(q).split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Engine {
    /// Loads the saved model (if readable) and folds in every event after it.
    pub(crate) fn open_ranking(&self) -> Result<()> {
        let saved: Option<RankModel> = match self.store().ranking.get(MODEL_KEY) {
            Ok(m) => m,
            Err(e) => {
                warn!(error = %e, "saved ranking model unreadable; rebuilding it from the event log");
                None
            }
        };
        *self.ranking.write() = saved.unwrap_or_default();
        let folded = self.catch_up_ranking()?;
        if folded > 0 {
            info!(events = folded, "ranking model caught up from the event log");
            self.save_ranking()?;
        }
        Ok(())
    }

    /// Folds every event not yet in the model, in log order; returns how many.
    pub(crate) fn catch_up_ranking(&self) -> Result<u64> {
        let mut model = self.ranking.write();
        let before = model.events();
        let params = &self.config().ranking;
        let from = model.last_seq();
        for event in self.store().events.since::<UsageEvent>(from) {
            let event = event?;
            let category = self.store().get(&event.record_id)?.and_then(|r| r.category);
            let interaction = Interaction {
                seq: event.seq,
                at_ms: event.at_ms,
                query_id: event.query_id.clone(),
                record_id: event.record_id.clone(),
                category,
                kind: event.kind,
                position: event.position,
                dwell_ms: event.dwell_ms,
            };
            model.fold(&interaction, || self.session_of(&event.query_id), params);
        }
        let folded = model.events() - before;
        let crossed = model.events() / SAVE_EVERY != before / SAVE_EVERY;
        drop(model);
        if crossed {
            self.save_ranking()?;
        }
        Ok(folded)
    }

    /// Saves the model (it is derived: losing a save only costs a longer replay).
    pub(crate) fn save_ranking(&self) -> Result<()> {
        let model = self.ranking.read();
        self.store().ranking.put(MODEL_KEY, &*model)?;
        Ok(())
    }

    fn session_of(&self, query_id: &str) -> Option<Session> {
        let log: SearchLog = self.store().searches.get(query_id).ok().flatten()?;
        let terms = self.index_query_terms(&log.query).into_iter().map(|(t, _)| t).collect();
        Some(Session {
            query_key: query_key(&log.query),
            terms,
            department: log.department,
            user_group: log.user_group,
            at_ms: log.at_ms,
            shown: log.hits,
            randomised_pair: log.randomised_pair,
        })
    }

    /// What has been learned, for people (`GET /v1/ranking/model`).
    pub fn ranking_summary(&self, top: usize) -> ModelSummary {
        self.ranking.read().summary(&self.config().ranking, now().1, top)
    }
}

//! A query that matches a fixed set of documents: the candidates a second, costlier scoring pass
//! re-scores (so that pass touches hundreds of records, not every match).

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{BitSet, DocAddress, DocId, Score, Searcher, SegmentReader, TantivyError};

/// Matches exactly the given documents, adding nothing to the score.
#[derive(Debug, Clone)]
pub(crate) struct Candidates(Arc<HashMap<SegmentId, Vec<DocId>>>);

impl Candidates {
    /// The documents at `addresses` of `searcher`.
    pub fn new(searcher: &Searcher, addresses: impl IntoIterator<Item = DocAddress>) -> Candidates {
        let mut by_segment: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
        for addr in addresses {
            let segment = searcher.segment_reader(addr.segment_ord).segment_id();
            by_segment.entry(segment).or_default().push(addr.doc_id);
        }
        for docs in by_segment.values_mut() {
            docs.sort_unstable();
            docs.dedup();
        }
        Candidates(Arc::new(by_segment))
    }

    /// How many documents.
    pub fn len(&self) -> usize {
        self.0.values().map(Vec::len).sum()
    }
}

impl Query for Candidates {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for Candidates {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.0.get(&reader.segment_id()) {
            Some(docs) => {
                let mut set = BitSet::with_max_value(reader.max_doc());
                for &doc in docs {
                    set.insert(doc);
                }
                Box::new(ConstScorer::new(BitSetDocSet::from(set), 0.0))
            }
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let found = self.0.get(&reader.segment_id()).is_some_and(|docs| docs.binary_search(&doc).is_ok());
        if found {
            Ok(Explanation::new("candidate", 0.0))
        } else {
            Err(TantivyError::InvalidArgument(format!("document {doc} is not a candidate")))
        }
    }
}

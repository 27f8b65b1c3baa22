//! The analyzers tantivy indexes with, registered by name in one place.
//!
//! Each holds the shared [`Analysis`] behind an `Arc`, so tantivy's per-lookup clone of an
//! analyzer costs a reference count, not a dictionary copy.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager};

use crate::{bigrams, normalize, Analysis, Tok};

/// jieba words (search mode), folded.
pub const WORD_TOKENIZER: &str = "lantai_word";
/// CJK bigrams plus whole latin/digit runs, folded.
pub const BIGRAM_TOKENIZER: &str = "lantai_bigram";
/// The whole value as one folded term, spaces removed (codes and numbers matched exactly).
pub const KEYWORD_TOKENIZER: &str = "lantai_keyword";

/// Registers Lantai's analyzers. Tokenizers are not persisted in an index: call this after every
/// `Index::open` or `Index::create`.
pub fn register(manager: &TokenizerManager, analysis: &Analysis) {
    manager.register(WORD_TOKENIZER, TextAnalyzer::from(WordTokenizer(analysis.clone())));
    manager.register(BIGRAM_TOKENIZER, TextAnalyzer::from(BigramTokenizer));
    manager.register(KEYWORD_TOKENIZER, TextAnalyzer::from(KeywordTokenizer));
}

#[derive(Clone)]
struct WordTokenizer(Analysis);

#[derive(Clone)]
struct BigramTokenizer;

#[derive(Clone)]
struct KeywordTokenizer;

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(self.0.index_words(text))
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(bigrams(text))
    }
}

impl Tokenizer for KeywordTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let folded = keyword_term(text);
        let toks = if folded.is_empty() {
            Vec::new()
        } else {
            vec![Tok { text: folded, from: 0, to: text.len(), position: 0 }]
        };
        VecTokenStream::new(toks)
    }
}

/// The single term a keyword field holds for `text` (folded, white space removed).
pub fn keyword_term(text: &str) -> String {
    normalize(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Tokens computed up front and handed out one by one.
pub struct VecTokenStream {
    tokens: std::vec::IntoIter<Tok>,
    current: Token,
}

impl VecTokenStream {
    fn new(tokens: Vec<Tok>) -> Self {
        VecTokenStream { tokens: tokens.into_iter(), current: Token::default() }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.current = Token {
                    offset_from: t.from,
                    offset_to: t.to,
                    position: t.position,
                    text: t.text,
                    position_length: 1,
                };
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

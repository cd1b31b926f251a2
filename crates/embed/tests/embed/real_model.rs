//! The real all-MiniLM-L6-v2 against independently computed reference embeddings.
//!
//! `tests/fixtures/reference_embeddings.json` comes from `scripts/embed/reference.py`, a numpy
//! float64 re-implementation of the BERT forward pass that shares no code with candle.

use std::sync::OnceLock;

use mockloop_embed::{CachedEmbedder, Embedder, MiniLm};
use mockloop_grading::cosine;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::support::{max_abs_diff, norm, real_model_dir};

#[derive(Deserialize)]
struct Reference {
    model_safetensors_sha256: String,
    sentences: Vec<ReferenceSentence>,
}

#[derive(Deserialize)]
struct ReferenceSentence {
    text: String,
    token_ids: Vec<u32>,
    embedding: Vec<f32>,
}

fn reference() -> Reference {
    let text = include_str!("../fixtures/reference_embeddings.json");
    serde_json::from_str(text).expect("fixture parses")
}

/// Loading takes a moment; share one model between the tests of this binary.
fn model(test: &str) -> Option<&'static MiniLm> {
    static MODEL: OnceLock<MiniLm> = OnceLock::new();
    let dir = real_model_dir(test)?;
    Some(MODEL.get_or_init(|| MiniLm::load(&dir).unwrap_or_else(|e| panic!("{e}"))))
}

#[test]
fn real_model_reproduces_the_numpy_reference_embeddings() {
    let Some(model) = model("real_model_reproduces_the_numpy_reference_embeddings") else { return };
    let reference = reference();
    let dir = real_model_dir("").unwrap();
    let weights = std::fs::read(dir.join("model.safetensors")).unwrap();
    let sha: String = Sha256::digest(&weights).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        sha, reference.model_safetensors_sha256,
        "MOCKLOOP_TEST_MODEL_DIR holds other weights than the fixture was computed from"
    );

    assert_eq!(model.name(), "all-MiniLM-L6-v2");
    assert_eq!(model.dimension(), 384);
    let texts: Vec<&str> = reference.sentences.iter().map(|s| s.text.as_str()).collect();
    // One call: the sentences are batched by length, the longest is truncated to 256 tokens.
    let vectors = model.embed(&texts).unwrap();
    for (sentence, vector) in reference.sentences.iter().zip(&vectors) {
        assert_eq!(model.token_ids(&sentence.text).unwrap(), sentence.token_ids, "{:?}", sentence.text);
        let diff = max_abs_diff(vector, &sentence.embedding);
        assert!(diff < 1e-4, "{:?}: max difference {diff} from the reference", sentence.text);
        assert!((norm(vector) - 1.0).abs() < 1e-5);
    }
}

#[test]
fn real_model_gives_the_same_vector_alone_and_in_a_batch() {
    let Some(model) = model("real_model_gives_the_same_vector_alone_and_in_a_batch") else { return };
    let reference = reference();
    let texts: Vec<&str> = reference.sentences.iter().map(|s| s.text.as_str()).collect();
    let batched = model.embed(&texts).unwrap();
    for (text, together) in texts.iter().zip(&batched) {
        let alone = model.embed(&[text]).unwrap().remove(0);
        assert!(max_abs_diff(&alone, together) < 1e-5, "{text:?}");
    }
}

#[test]
fn paraphrases_score_above_unrelated_pairs() {
    let Some(model) = model("paraphrases_score_above_unrelated_pairs") else { return };
    // (key point, a paraphrase of it, an answer clause about something else)
    let cases = [
        (
            "Add an index on the column used in the WHERE clause.",
            "I would index the field we filter on so the query stops scanning the whole table.",
            "I would write more unit tests for the payment module.",
        ),
        (
            "A hash map gives constant-time lookups on average.",
            "Looking up a key in a hashtable is O(1) in the typical case.",
            "Binary search needs the array to be sorted first.",
        ),
        (
            "Use a mutex to protect shared state between threads.",
            "Guard the shared data with a lock so two threads cannot modify it at once.",
            "Use a CDN to serve static assets closer to users.",
        ),
        (
            "Cache the results of expensive computations.",
            "Store the results of costly calculations so they are not computed again.",
            "The database uses write-ahead logging for durability.",
        ),
        (
            "Retry failed requests with exponential backoff.",
            "When a call fails, try again after waiting longer each time.",
            "Normalise the schema to avoid duplicated data.",
        ),
    ];
    for (key, paraphrase, unrelated) in cases {
        let v = model.embed(&[key, paraphrase, unrelated]).unwrap();
        let close = cosine(&v[0], &v[1]);
        let far = cosine(&v[0], &v[2]);
        assert!(close > far + 0.2, "{key:?}: paraphrase {close:.3} vs unrelated {far:.3}");
        assert!(close > 0.4, "{key:?}: paraphrase only {close:.3}");
    }
}

#[test]
fn a_cache_over_the_real_model_returns_identical_vectors() {
    let Some(dir) = real_model_dir("a_cache_over_the_real_model_returns_identical_vectors") else { return };
    let cached = CachedEmbedder::new(MiniLm::load(&dir).unwrap(), "test");
    let texts = ["use an index", "cache hot rows"];
    let first = cached.embed(&texts).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let path = scratch.path().join("c.bin");
    cached.save(&path).unwrap();
    let (reloaded, _) = CachedEmbedder::load(MiniLm::load(&dir).unwrap(), &path, "test").unwrap();
    assert_eq!(reloaded.embed(&texts).unwrap(), first);
    assert_eq!(first, cached.inner().embed(&texts).unwrap());
}

//! `CachedEmbedder`: memoisation, file round-trips and invalidation.

use std::sync::atomic::Ordering;

use mockloop_embed::{CacheError, CacheLoad, CachedEmbedder, Embedder, StaleReason};

use crate::support::CountingEmbedder;

fn cached(fingerprint: &str) -> CachedEmbedder<CountingEmbedder> {
    CachedEmbedder::new(CountingEmbedder::new("fake-model", 8), fingerprint)
}

#[test]
fn cache_asks_the_model_only_for_texts_it_has_not_seen() {
    let cache = cached("pack-v1");
    let first = cache.embed(&["alpha", "beta", "alpha"]).unwrap();
    assert_eq!(cache.inner().seen(), vec!["alpha", "beta"], "repeats within a call are embedded once");
    assert_eq!(first[0], first[2]);
    assert_eq!(first[0], cache.inner().vector("alpha"));

    let second = cache.embed(&["beta", "gamma"]).unwrap();
    assert_eq!(cache.inner().seen(), vec!["alpha", "beta", "gamma"]);
    assert_eq!(second[0], first[1]);
    assert_eq!(cache.len(), 3);

    cache.embed(&["gamma", "alpha"]).unwrap();
    assert_eq!(cache.inner().calls.load(Ordering::SeqCst), 2, "a fully cached call does not reach the model");
    assert_eq!(cache.name(), "fake-model");
}

#[test]
fn cache_round_trips_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/keypoints.cache");
    let cache = cached("pack-v1");
    let texts = ["use an index", "cache hot rows", "naïve résumé ✓", ""];
    let vectors = cache.embed(&texts).unwrap();
    cache.save(&path).unwrap();

    let (loaded, outcome) =
        CachedEmbedder::load(CountingEmbedder::new("fake-model", 8), &path, "pack-v1").unwrap();
    assert_eq!(outcome, CacheLoad::Loaded { entries: 4 });
    assert_eq!(loaded.embed(&texts).unwrap(), vectors);
    assert_eq!(loaded.inner().calls.load(Ordering::SeqCst), 0, "everything came from the file");
    assert_eq!(loaded.get("use an index"), Some(vectors[0].clone()));

    // Saving the same entries again gives the same bytes.
    let again = dir.path().join("again.cache");
    loaded.save(&again).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&again).unwrap());
}

#[test]
fn cache_file_with_another_fingerprint_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keypoints.cache");
    let cache = cached("pack-v1");
    cache.embed(&["use an index"]).unwrap();
    cache.save(&path).unwrap();

    let edited = cached("pack-v2");
    let outcome = edited.load_file(&path).unwrap();
    assert_eq!(
        outcome,
        CacheLoad::Stale(StaleReason::Fingerprint { found: "pack-v1".into(), expected: "pack-v2".into() })
    );
    assert!(edited.is_empty());
    edited.embed(&["use an index"]).unwrap();
    assert_eq!(edited.inner().calls.load(Ordering::SeqCst), 1, "a stale file's vectors are not used");
}

#[test]
fn cache_file_from_another_model_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keypoints.cache");
    let cache = cached("pack-v1");
    cache.embed(&["use an index"]).unwrap();
    cache.save(&path).unwrap();

    let other = CachedEmbedder::new(CountingEmbedder::new("other-model", 8), "pack-v1");
    let outcome = other.load_file(&path).unwrap();
    assert!(matches!(outcome, CacheLoad::Stale(StaleReason::Model { .. })), "{outcome:?}");
    assert!(other.is_empty());
}

#[test]
fn cache_file_with_another_dimension_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keypoints.cache");
    let cache = cached("pack-v1");
    cache.embed(&["use an index"]).unwrap();
    cache.save(&path).unwrap();

    let wider = CachedEmbedder::new(CountingEmbedder::new("fake-model", 12), "pack-v1");
    wider.embed(&["something else"]).unwrap();
    let outcome = wider.load_file(&path).unwrap();
    assert_eq!(outcome, CacheLoad::Stale(StaleReason::Dimension { found: 8, expected: 12 }));
}

#[test]
fn a_missing_cache_file_is_a_first_run_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cached("pack-v1");
    assert_eq!(cache.load_file(&dir.path().join("none.cache")).unwrap(), CacheLoad::Missing);
}

#[test]
fn a_damaged_cache_file_is_reported_and_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keypoints.cache");
    let cache = cached("pack-v1");
    cache.embed(&["use an index", "cache hot rows"]).unwrap();
    cache.save(&path).unwrap();
    let good = std::fs::read(&path).unwrap();

    let mut flipped = good.clone();
    let last = flipped.len() - 40;
    flipped[last] ^= 0x55;
    std::fs::write(&path, &flipped).unwrap();
    let fresh = cached("pack-v1");
    let err = fresh.load_file(&path).unwrap_err();
    assert!(matches!(err, CacheError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("delete it"), "{err}");
    assert!(fresh.is_empty());

    std::fs::write(&path, &good[..good.len() - 10]).unwrap();
    assert!(matches!(fresh.load_file(&path), Err(CacheError::Corrupt { .. })));

    std::fs::write(&path, b"something else entirely").unwrap();
    assert!(matches!(fresh.load_file(&path), Err(CacheError::Corrupt { .. })));
}

#[test]
fn a_capacity_limit_keeps_the_first_entries() {
    let cache = cached("pack-v1").with_capacity_limit(2);
    cache.embed(&["one", "two"]).unwrap();
    let three = cache.embed(&["three"]).unwrap();
    assert_eq!(three[0], cache.inner().vector("three"), "texts over the limit are still embedded");
    assert_eq!(cache.len(), 2);
    assert!(cache.get("one").is_some() && cache.get("three").is_none());
    cache.clear();
    assert!(cache.is_empty());
}

#[test]
fn an_empty_cache_saves_and_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.cache");
    cached("pack-v1").save(&path).unwrap();
    assert_eq!(cached("pack-v1").load_file(&path).unwrap(), CacheLoad::Loaded { entries: 0 });
}

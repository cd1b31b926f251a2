//! `MiniLm` on a tiny random BERT: loading errors, batching, masking, truncation.

use std::path::Path;

use mockloop_embed::{EmbedLoadError, Embedder, MiniLm, MiniLmConfig};

use crate::support::{max_abs_diff, norm, write_tiny_model, TINY_MAX_POSITIONS};

fn tiny() -> (tempfile::TempDir, MiniLm) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("tiny-bert");
    std::fs::create_dir(&dir).unwrap();
    write_tiny_model(&dir);
    let config = MiniLmConfig { max_tokens: TINY_MAX_POSITIONS, ..MiniLmConfig::default() };
    let model = MiniLm::load_with(&dir, &config).unwrap();
    (root, model)
}

fn load_error(dir: &Path) -> EmbedLoadError {
    MiniLm::load(dir).expect_err("loading should fail")
}

#[test]
fn tiny_model_loads_and_returns_unit_vectors_in_order() {
    let (_root, model) = tiny();
    assert_eq!(model.name(), "tiny-bert");
    assert_eq!(model.dimension(), 16);
    let texts = ["the cache is fast", "a slow query", "the cache is fast"];
    let vectors = model.embed(&texts).unwrap();
    assert_eq!(vectors.len(), 3);
    for v in &vectors {
        assert_eq!(v.len(), 16);
        assert!((norm(v) - 1.0).abs() < 1e-5);
    }
    assert_eq!(vectors[0], vectors[2]);
    assert!(max_abs_diff(&vectors[0], &vectors[1]) > 1e-3);
}

#[test]
fn a_text_embeds_the_same_alone_as_in_a_padded_batch() {
    let (_root, model) = tiny();
    let texts = [
        "index",
        "the database lock is slow",
        "a map",
        "the cache the query the index the thread the lock the map is slow",
        "",
        "unknownword cache",
    ];
    let batched = model.embed(&texts).unwrap();
    for (text, together) in texts.iter().zip(&batched) {
        let alone = model.embed(&[text]).unwrap().remove(0);
        let diff = max_abs_diff(&alone, together);
        assert!(diff < 1e-5, "{text:?} differs by {diff} between batch and single");
    }
}

#[test]
fn tokenizer_file_padding_and_truncation_are_overridden() {
    let (_root, model) = tiny();
    // The file asks for fixed padding to 8; MiniLm pads per batch instead.
    assert_eq!(model.token_ids("the cache").unwrap(), vec![2, 4, 5, 3]);
    // The file truncates at 8; MiniLm truncates at its own limit (here 32), keeping [SEP].
    let long = ["cache"; 100].join(" ");
    let ids = model.token_ids(&long).unwrap();
    assert_eq!(ids.len(), TINY_MAX_POSITIONS);
    assert_eq!(ids.last(), Some(&3));
    let v = model.embed(&[&long]).unwrap();
    assert!((norm(&v[0]) - 1.0).abs() < 1e-5);
}

#[test]
fn an_empty_call_returns_nothing() {
    let (_root, model) = tiny();
    assert!(model.embed(&[]).unwrap().is_empty());
}

#[test]
fn a_private_thread_pool_gives_the_same_vectors() {
    let (root, model) = tiny();
    let config =
        MiniLmConfig { threads: Some(1), max_tokens: TINY_MAX_POSITIONS, name: Some("custom".into()) };
    let pooled = MiniLm::load_with(&root.path().join("tiny-bert"), &config).unwrap();
    assert_eq!(pooled.name(), "custom");
    let texts = ["the cache is fast", "a slow database query"];
    let a = model.embed(&texts).unwrap();
    let b = pooled.embed(&texts).unwrap();
    for (x, y) in a.iter().zip(&b) {
        assert!(max_abs_diff(x, y) < 1e-6);
    }
}

#[test]
fn max_tokens_is_capped_at_the_position_table() {
    let root = tempfile::tempdir().unwrap();
    write_tiny_model(root.path());
    let model = MiniLm::load(root.path()).unwrap();
    assert_eq!(model.max_tokens(), TINY_MAX_POSITIONS);
    let long = ["cache"; 100].join(" ");
    assert_eq!(model.token_ids(&long).unwrap().len(), TINY_MAX_POSITIONS);

    let config = MiniLmConfig { max_tokens: 1, ..MiniLmConfig::default() };
    let err = MiniLm::load_with(root.path(), &config).unwrap_err();
    assert!(matches!(err, EmbedLoadError::Unsupported { .. }), "{err}");
    assert!(err.to_string().contains("[CLS] and [SEP]"), "{err}");
}

#[test]
fn loading_a_missing_folder_names_it_and_suggests_model_dir() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("not-there");
    let err = load_error(&dir);
    assert!(matches!(err, EmbedLoadError::MissingDir { .. }));
    let msg = err.to_string();
    assert!(msg.contains(&dir.display().to_string()), "{msg}");
    assert!(msg.contains("--model-dir"), "{msg}");
}

#[test]
fn loading_a_folder_names_the_first_missing_file() {
    let root = tempfile::tempdir().unwrap();
    let err = load_error(root.path());
    assert!(matches!(&err, EmbedLoadError::MissingFile { path } if path.ends_with("config.json")), "{err}");

    write_tiny_model(root.path());
    std::fs::remove_file(root.path().join("model.safetensors")).unwrap();
    let err = load_error(root.path());
    assert!(
        matches!(&err, EmbedLoadError::MissingFile { path } if path.ends_with("model.safetensors")),
        "{err}"
    );
    assert!(err.to_string().contains("model.safetensors is missing"), "{err}");
}

#[test]
fn a_bad_config_is_reported_against_config_json() {
    let root = tempfile::tempdir().unwrap();
    write_tiny_model(root.path());
    std::fs::write(root.path().join("config.json"), "{\"hidden_size\": 16}").unwrap();
    let err = load_error(root.path());
    assert!(matches!(err, EmbedLoadError::Config { .. }), "{err}");
    assert!(err.to_string().contains("config.json"), "{err}");
}

#[test]
fn a_bad_tokenizer_is_reported_against_tokenizer_json() {
    let root = tempfile::tempdir().unwrap();
    write_tiny_model(root.path());
    std::fs::write(root.path().join("tokenizer.json"), "{\"not\": \"a tokenizer\"}").unwrap();
    let err = load_error(root.path());
    assert!(matches!(err, EmbedLoadError::Tokenizer { .. }), "{err}");
    assert!(err.to_string().contains("tokenizer.json"), "{err}");
}

#[test]
fn damaged_weights_are_reported_against_model_safetensors() {
    let root = tempfile::tempdir().unwrap();
    write_tiny_model(root.path());
    let weights = root.path().join("model.safetensors");
    let bytes = std::fs::read(&weights).unwrap();
    std::fs::write(&weights, &bytes[..bytes.len() / 2]).unwrap();
    let err = load_error(root.path());
    assert!(matches!(err, EmbedLoadError::Weights { .. }), "{err}");
    assert!(err.to_string().contains("model.safetensors"), "{err}");
}

#[test]
fn weights_for_another_architecture_name_the_missing_tensor() {
    let root = tempfile::tempdir().unwrap();
    write_tiny_model(root.path());
    // Claim a third layer the weights do not have.
    let config = std::fs::read_to_string(root.path().join("config.json")).unwrap();
    let config = config.replace("\"num_hidden_layers\":2", "\"num_hidden_layers\":3");
    std::fs::write(root.path().join("config.json"), config).unwrap();
    let err = load_error(root.path());
    assert!(matches!(err, EmbedLoadError::Weights { .. }), "{err}");
    assert!(err.to_string().contains("encoder.layer.2"), "{err}");
}

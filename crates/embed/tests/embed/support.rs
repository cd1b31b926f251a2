//! Shared helpers: a tiny random BERT folder, a counting fake embedder, the real-model switch.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use candle_core::{DType, Device, Tensor};
use mockloop_embed::{EmbedError, Embedder};

/// The real model's folder, or `None` after printing why the calling test is skipped.
pub fn real_model_dir(test: &str) -> Option<PathBuf> {
    match std::env::var_os("MOCKLOOP_TEST_MODEL_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => {
            // Written to stderr directly, not with `eprintln!`, so the test harness does not
            // capture it: a skip should be visible in every run.
            let _ = writeln!(std::io::stderr(), "{test}: skipped: MOCKLOOP_TEST_MODEL_DIR not set");
            None
        }
    }
}

pub const TINY_WORDS: &[&str] =
    &["the", "cache", "query", "index", "is", "slow", "fast", "a", "database", "thread", "lock", "map"];
pub const TINY_MAX_POSITIONS: usize = 32;

/// Writes a sentence-transformers-shaped BERT folder with random weights: 2 layers, hidden size
/// 16, a word-level vocabulary of [`TINY_WORDS`]. Real enough to exercise tokenisation,
/// batching, masking and pooling in milliseconds.
pub fn write_tiny_model(dir: &Path) {
    let hidden = 16;
    let intermediate = 32;
    let layers = 2;
    let mut vocab: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"].iter().map(|s| s.to_string()).collect();
    vocab.extend(TINY_WORDS.iter().map(|s| s.to_string()));
    let config = serde_json::json!({
        "architectures": ["BertModel"],
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": hidden,
        "initializer_range": 0.02,
        "intermediate_size": intermediate,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": TINY_MAX_POSITIONS,
        "model_type": "bert",
        "num_attention_heads": 2,
        "num_hidden_layers": layers,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "type_vocab_size": 2,
        "vocab_size": vocab.len(),
    });
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();

    let vocab_map: serde_json::Map<String, serde_json::Value> =
        vocab.iter().enumerate().map(|(i, w)| (w.clone(), serde_json::json!(i))).collect();
    let special = |id: &str, n: usize| serde_json::json!({"id": id, "ids": [n], "tokens": [id]});
    let tokenizer = serde_json::json!({
        "version": "1.0",
        // Like the real file: fixed padding and truncation that MiniLm must override.
        "truncation": {"direction": "Right", "max_length": 8, "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": 8}, "direction": "Right", "pad_to_multiple_of": null,
                    "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"},
        "added_tokens": [],
        "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                       "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {"[CLS]": special("[CLS]", 2), "[SEP]": special("[SEP]", 3)}
        },
        "decoder": null,
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab_map}
    });
    std::fs::write(dir.join("tokenizer.json"), tokenizer.to_string()).unwrap();

    let device = Device::Cpu;
    let mut tensors: HashMap<String, Tensor> = HashMap::new();
    let mut add = |name: String, shape: &[usize], kind: Init| {
        let t = match kind {
            Init::Random => Tensor::randn(0f32, 0.5, shape, &device).unwrap(),
            Init::Ones => Tensor::ones(shape, DType::F32, &device).unwrap(),
            Init::Zeros => Tensor::zeros(shape, DType::F32, &device).unwrap(),
        };
        tensors.insert(name, t);
    };
    add("embeddings.word_embeddings.weight".into(), &[vocab.len(), hidden], Init::Random);
    add("embeddings.position_embeddings.weight".into(), &[TINY_MAX_POSITIONS, hidden], Init::Random);
    add("embeddings.token_type_embeddings.weight".into(), &[2, hidden], Init::Random);
    add("embeddings.LayerNorm.weight".into(), &[hidden], Init::Ones);
    add("embeddings.LayerNorm.bias".into(), &[hidden], Init::Zeros);
    for i in 0..layers {
        let p = format!("encoder.layer.{i}.");
        for name in
            ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]
        {
            add(format!("{p}{name}.weight"), &[hidden, hidden], Init::Random);
            add(format!("{p}{name}.bias"), &[hidden], Init::Random);
        }
        add(format!("{p}intermediate.dense.weight"), &[intermediate, hidden], Init::Random);
        add(format!("{p}intermediate.dense.bias"), &[intermediate], Init::Random);
        add(format!("{p}output.dense.weight"), &[hidden, intermediate], Init::Random);
        add(format!("{p}output.dense.bias"), &[hidden], Init::Random);
        for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
            add(format!("{p}{norm}.weight"), &[hidden], Init::Ones);
            add(format!("{p}{norm}.bias"), &[hidden], Init::Zeros);
        }
    }
    candle_core::safetensors::save(&tensors, dir.join("model.safetensors")).unwrap();
}

#[derive(Clone, Copy)]
enum Init {
    Random,
    Ones,
    Zeros,
}

/// A deterministic fake model: a text's vector depends only on its bytes. Counts the texts it
/// was asked to embed, so cache tests can see which calls reached the model.
pub struct CountingEmbedder {
    pub name: String,
    pub dimension: usize,
    pub calls: AtomicUsize,
    pub texts_seen: Mutex<Vec<String>>,
}

impl CountingEmbedder {
    pub fn new(name: &str, dimension: usize) -> Self {
        Self {
            name: name.to_owned(),
            dimension,
            calls: AtomicUsize::new(0),
            texts_seen: Mutex::new(Vec::new()),
        }
    }

    pub fn vector(&self, text: &str) -> Vec<f32> {
        let mut v: Vec<f32> = (0..self.dimension)
            .map(|i| {
                text.bytes().enumerate().map(|(j, b)| ((b as usize * (i + 3) + j) % 17) as f32).sum::<f32>()
                    + 1.0
            })
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter_mut().for_each(|x| *x /= norm);
        v
    }

    pub fn seen(&self) -> Vec<String> {
        self.texts_seen.lock().unwrap().clone()
    }
}

impl Embedder for CountingEmbedder {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.texts_seen.lock().unwrap().extend(texts.iter().map(|t| t.to_string()));
        Ok(texts.iter().map(|t| self.vector(t)).collect())
    }

    fn name(&self) -> &str {
        &self.name
    }
}

pub fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "dimensions differ");
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

pub fn norm(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum::<f32>().sqrt()
}

/** Helpers that put a PretrainedBackbone, its on-disk cache and a saved head together. */
import { InputError } from "@mine-refine/core";
import type { MatmulBackend } from "../matmul/backend.js";
import { BackboneTower } from "./backbone-tower.js";
import { CachedEmbedder, EmbeddingCache } from "./embedding-cache.js";
import { type LoadedBackboneHead, loadBackboneHead } from "./head-checkpoint.js";
import { PretrainedBackbone, type PretrainedBackboneOptions, type TextEmbedder } from "./pretrained-backbone.js";

export interface OpenBackboneOptions extends PretrainedBackboneOptions {
  /** Root folder of the embedding cache; without it every text is embedded on every call. */
  cacheDir?: string;
}

export interface OpenedBackbone {
  backbone: PretrainedBackbone;
  /** The backbone behind the cache when `cacheDir` is set, else the backbone itself. */
  embedder: TextEmbedder;
  cache?: EmbeddingCache;
}

/** Loads the model directory `dir` and, with `cacheDir`, wraps it in an on-disk embedding cache. */
export async function openBackbone(dir: string, options: OpenBackboneOptions = {}): Promise<OpenedBackbone> {
  const backbone = await PretrainedBackbone.load(dir, options);
  if (options.cacheDir === undefined) return { backbone, embedder: backbone };
  const cache = await EmbeddingCache.open(options.cacheDir, { key: backbone.key, dim: backbone.dim });
  return { backbone, embedder: new CachedEmbedder(backbone, cache), cache };
}

export interface LoadedBackboneTower extends OpenedBackbone {
  tower: BackboneTower;
  extra: LoadedBackboneHead["extra"];
}

/**
 * Loads a head saved by `saveBackboneHead` and the backbone it was trained on, from the recorded
 * directory (or `backboneDir` when the model has moved), and checks that the backbone's hash still
 * matches. The caller disposes `backbone` when done.
 */
export async function loadBackboneTower(
  headDir: string,
  options: Omit<OpenBackboneOptions, "maxLength"> & { matmul?: MatmulBackend; backboneDir?: string } = {},
): Promise<LoadedBackboneTower> {
  const saved = await loadBackboneHead(headDir, options.matmul ? { matmul: options.matmul } : {});
  const opened = await openBackbone(options.backboneDir ?? saved.backbone.path, { ...options, maxLength: saved.backbone.maxLength });
  if (opened.backbone.modelHash !== saved.backbone.modelHash) {
    await opened.backbone.dispose();
    throw new InputError(
      "backbone_changed",
      { file: opened.backbone.dir },
      `the model directory has hash ${opened.backbone.modelHash}, but the head in ${headDir} was trained on hash ${saved.backbone.modelHash}`,
      "Restore the model files the head was trained on, or train the head again.",
    );
  }
  return { ...opened, tower: new BackboneTower(opened.embedder, saved.head, saved.text), extra: saved.extra };
}

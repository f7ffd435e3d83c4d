// npm run train: writes the understanding layer's build-time data from the corpus and the content:
// lambdas/understanding/data/t2s.json (traditional → simplified), pinyin.json (character readings) and data/model.json (the classifier
// with its confidence bands chosen by 5-fold cross-validation). Deterministic: run it after editing
// content/zh-CN/corpus or the topics' phrases, and commit both files.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundledContent } from '../lambdas/content/content';
import { contentExamples } from '../lambdas/understanding/training/content-examples';
import { readCorpus } from '../lambdas/understanding/training/corpus';
import { buildPinyinTable, packPinyinTable } from '../lambdas/understanding/training/pinyin-table';
import { buildT2sTable } from '../lambdas/understanding/training/t2s-table';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = `${root}lambdas/understanding/data/`;

const started = performance.now();
const corpus = readCorpus(`${root}content/zh-CN/corpus`);
const always = contentExamples(bundledContent());
// The traditional → simplified table and the pinyin table first: the features are read through them.
writeFileSync(`${data}t2s.json`, `${JSON.stringify(buildT2sTable())}\n`);
writeFileSync(`${data}pinyin.json`, `${JSON.stringify(packPinyinTable(buildPinyinTable([...corpus, ...always].map((line) => line.q))))}\n`);
// Imported only now, so that the features read the table just written (a JSON import is read once, when first imported).
const { buildModel } = await import('../lambdas/understanding/training/build');
const { model } = buildModel(corpus, always);
writeFileSync(`${data}model.json`, `${JSON.stringify(model)}\n`);
const size = Buffer.byteLength(JSON.stringify(model));
console.log(
  `trained on ${corpus.length} corpus lines + content phrases: ${Object.keys(model.weights).length} features, ` +
    `${(size / 1024).toFixed(0)} KiB, bands ${JSON.stringify(model.bands)}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

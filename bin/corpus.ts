// npm run corpus -- pull|help …: the questions staff labelled in the question inbox, into the training corpus.
import { runCorpusCli } from '../dev/corpus-cli';
import { runEntry } from '../dev/entry';

runEntry(runCorpusCli);

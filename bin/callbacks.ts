// npm run callbacks -- list|show|claim|release|outcome|export|help …: the staff command line for callback requests.
import { runCallbacksCli } from '../dev/callbacks-cli';
import { runEntry } from '../dev/entry';

runEntry(runCallbacksCli);

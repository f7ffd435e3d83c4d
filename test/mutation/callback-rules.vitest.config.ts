import { groupConfig } from './vitest-group';

export default groupConfig('callback-rules');

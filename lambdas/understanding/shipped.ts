import modelJson from './data/model.json';
import { createClassifier, type Classifier, type ModelFile } from './model';
import { createUnderstanding, type Understand } from './understand';

/** The classifier trained at build time (`npm run train`), as bundled with the Lambdas. */
export function shippedClassifier(): Classifier {
  return createClassifier(modelJson as unknown as ModelFile);
}

/** Safety check, then the shipped classifier: how the hotline understands free text and speech. */
export function shippedUnderstanding(): Understand {
  return createUnderstanding(shippedClassifier());
}

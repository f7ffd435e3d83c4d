// npm run bench:cold: cold starts of the Lambdas as built for the stack (see dev/bench-cold.ts).
import '../dev/bench-cold';

/** A flag value that cannot become a working client configuration; the message names the flag. */
export class OnboardingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnboardingInputError';
  }
}

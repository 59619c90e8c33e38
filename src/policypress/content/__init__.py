"""Loading content/ and quizzes/ into the model: schemas, checks, readability."""

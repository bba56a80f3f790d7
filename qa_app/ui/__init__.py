"""Pure helpers behind the Streamlit pages (testable without Streamlit). Pages only lay out what these return."""

//! A small writer of `.vnet` text: two-space indentation, one statement per line, a trace
//! comment before each block. Its output is meant to be passed through `vnetc fmt` unchanged.

#[derive(Default)]
pub struct Text {
    out: String,
    depth: usize,
}

impl Text {
    pub fn line(&mut self, line: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str(line);
        self.out.push('\n');
    }

    pub fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("{\n") && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// A `#` comment; line breaks in `text` become spaces.
    pub fn comment(&mut self, text: &str) {
        let one_line: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if one_line.trim().is_empty() {
            self.line("#");
        } else {
            self.line(&format!("# {}", one_line.trim_end()));
        }
    }

    pub fn open(&mut self, header: &str) {
        self.line(&format!("{header} {{"));
        self.depth += 1;
    }

    pub fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.line("}");
    }

    pub fn append(&mut self, other: Text) {
        self.out.push_str(&other.out);
    }

    pub fn finish(mut self) -> String {
        while self.out.ends_with("\n\n") {
            self.out.pop();
        }
        self.out
    }
}

/// A `.vnet` string literal: quotes and backslashes escaped, line breaks as spaces.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `[a, b, c]`.
pub fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

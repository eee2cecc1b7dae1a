//! A person drives a real browser: the harness prints the authorization URL,
//! then takes the final redirect URL either from what the tester pastes on
//! standard input, or from the first request a one-shot listener on the
//! loopback redirect URI receives (RFC 8252 §7.3). Both wait at most a
//! timeout. The harness makes no exchange of its own here: the browser did.

use std::io::Write;
use std::time::Duration;

use psd2_rules::exchange::redact_url;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use url::Url;

use super::{Consent, ConsentDriver, ConsentRequest, DriveFuture, DriverError};
use crate::agent::{StopRule, UserAgent};

/// A request head larger than this is not a browser's redirect.
const MAX_HEAD: usize = 16 * 1024;
/// One connection may take this long to send its head.
const READ_HEAD_TIMEOUT: Duration = Duration::from_secs(10);
const DONE_PAGE: &str = "<!DOCTYPE html><title>psd2-conform</title><p>The conformance harness received the redirect. You can close this window.</p>\n";

/// Where the final redirect URL comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ManualInput {
    /// A listener on the redirect URI's loopback port (`http://127.0.0.1:PORT/...`).
    Loopback,
    /// The tester pastes it.
    Paste,
}

type Input = Box<dyn AsyncBufRead + Send + Unpin>;
type Output = Box<dyn Write + Send>;

/// Prints the authorization URL and waits for the redirect.
pub struct ManualDriver {
    input: ManualInput,
    timeout: Duration,
    reader: Mutex<Input>,
    writer: std::sync::Mutex<Output>,
}

impl std::fmt::Debug for ManualDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManualDriver")
            .field("input", &self.input)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ManualDriver {
    /// A driver on the terminal (standard input and output).
    #[must_use]
    pub fn new(input: ManualInput, timeout: Duration) -> Self {
        Self::with_io(
            input,
            timeout,
            Box::new(BufReader::new(tokio::io::stdin())),
            Box::new(std::io::stdout()),
        )
    }

    /// A driver reading pasted URLs from `reader` and printing to `writer`.
    #[must_use]
    pub fn with_io(input: ManualInput, timeout: Duration, reader: Input, writer: Output) -> Self {
        Self {
            input,
            timeout,
            reader: Mutex::new(reader),
            writer: std::sync::Mutex::new(writer),
        }
    }

    fn say(&self, text: &str) -> Result<(), DriverError> {
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        writer
            .write_all(text.as_bytes())
            .and_then(|()| writer.flush())
            .map_err(|source| DriverError::Io {
                what: "printing the authorization URL",
                source,
            })
    }

    async fn journey(&self, request: &ConsentRequest) -> Result<Consent, DriverError> {
        let redirect_uri = &request.redirect_uri;
        let url = match self.input {
            ManualInput::Paste => {
                self.say(&format!(
                    "Open this URL in a browser and complete the sign-in and consent:\n\n  {}\n\nThen paste the URL the browser was redirected to ({redirect_uri}?...):\n",
                    request.authorization_url
                ))?;
                self.within(self.read_pasted()).await?
            }
            ManualInput::Loopback => {
                let (listener, expected) = bind(redirect_uri).await?;
                self.say(&format!(
                    "Open this URL in a browser and complete the sign-in and consent:\n\n  {}\n\nWaiting for the redirect on {redirect_uri} ...\n",
                    request.authorization_url
                ))?;
                self.within(receive(&listener, &expected)).await?
            }
        };
        let parsed = Url::parse(&url).ok();
        let stop = StopRule::RedirectUri(redirect_uri.clone());
        if !parsed.is_some_and(|parsed| stop.stops_at(&parsed)) {
            return Err(DriverError::NotRedirectUri {
                url: redact_url(&url),
                redirect_uri: redirect_uri.clone(),
            });
        }
        Consent::from_redirect_url(url)
    }

    async fn within<T>(
        &self,
        work: impl Future<Output = Result<T, DriverError>>,
    ) -> Result<T, DriverError> {
        tokio::time::timeout(self.timeout, work)
            .await
            .unwrap_or(Err(DriverError::Timeout {
                seconds: self.timeout.as_secs(),
            }))
    }

    async fn read_pasted(&self) -> Result<String, DriverError> {
        let mut reader = self.reader.lock().await;
        loop {
            let mut line = String::new();
            let read = reader
                .read_line(&mut line)
                .await
                .map_err(|source| DriverError::Io {
                    what: "reading the pasted URL",
                    source,
                })?;
            if read == 0 {
                return Err(DriverError::NoInput);
            }
            let line = line.trim();
            if !line.is_empty() {
                return Ok(line.to_owned());
            }
        }
    }
}

impl ConsentDriver for ManualDriver {
    fn name(&self) -> &'static str {
        "manual"
    }

    fn drive<'a>(
        &'a self,
        _agent: &'a mut UserAgent,
        request: &'a ConsentRequest,
    ) -> DriveFuture<'a> {
        Box::pin(self.journey(request))
    }
}

/// Binds 127.0.0.1 on the redirect URI's port; the URI must be `http` on a
/// loopback host with an explicit port.
async fn bind(redirect_uri: &str) -> Result<(TcpListener, Url), DriverError> {
    let refuse = |reason| DriverError::RedirectUri {
        redirect_uri: redirect_uri.to_owned(),
        reason,
    };
    let url = Url::parse(redirect_uri).map_err(|_| refuse("not an absolute URL"))?;
    if url.scheme() != "http" {
        return Err(refuse("a loopback listener needs an http URI"));
    }
    if !matches!(url.host_str(), Some("127.0.0.1" | "localhost")) {
        return Err(refuse(
            "a loopback listener needs host 127.0.0.1 or localhost",
        ));
    }
    let port = url
        .port()
        .ok_or_else(|| refuse("a loopback listener needs an explicit port"))?;
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|source| DriverError::Io {
            what: "listening on the loopback redirect URI",
            source,
        })?;
    Ok((listener, url))
}

/// Serves until a request for the redirect URI's path arrives (browsers
/// may ask for `/favicon.ico` or probe first), and returns its full URL.
async fn receive(listener: &TcpListener, expected: &Url) -> Result<String, DriverError> {
    loop {
        let (stream, _) = listener.accept().await.map_err(|source| DriverError::Io {
            what: "accepting on the loopback redirect URI",
            source,
        })?;
        let Ok(Ok(Some(target))) =
            tokio::time::timeout(READ_HEAD_TIMEOUT, request_target(stream, expected)).await
        else {
            continue;
        };
        return Ok(target);
    }
}

/// Reads one request head; answers it; returns the full URL when the
/// request is for the redirect URI.
async fn request_target(mut stream: TcpStream, expected: &Url) -> std::io::Result<Option<String>> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        let read = stream.read(&mut chunk).await?;
        if read == 0 || head.len() + read > MAX_HEAD {
            return Ok(None);
        }
        head.extend_from_slice(&chunk[..read]);
    }
    let text = String::from_utf8_lossy(&head);
    let mut parts = text.lines().next().unwrap_or_default().split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let hit = method == "GET" && target.starts_with('/') && path == expected.path();
    let (status, body) = if hit {
        ("200 OK", DONE_PAGE)
    } else {
        ("404 Not Found", "not found\n")
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    let _ = stream.shutdown().await;
    if !hit {
        return Ok(None);
    }
    let mut origin = expected.origin().ascii_serialization();
    origin.push_str(target);
    Ok(Some(origin))
}

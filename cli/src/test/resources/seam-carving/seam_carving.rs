//! Seam carving (Avidan & Shamir, 2007) with the standard library only: removes the N vertical seams of least
//! dual-gradient energy from a binary PPM (P6, maxval 255) and writes what it found under a directory.
//!
//! Usage:
//!   seam_carving [INPUT [OUTDIR [SEAMS]]]   defaults: inputs/image.ppm outputs 120
//!   seam_carving generate WIDTH HEIGHT SEED  writes a deterministic test image (P6) to stdout
//!
//! Writes OUTDIR/carved.ppm (the image without its seams), OUTDIR/energy.pgm (the first energy map, scaled to 0-255),
//! OUTDIR/seams.ppm (the input with every removed seam painted red) and OUTDIR/seams.txt (one line per seam: its
//! index, total energy, and x at the top and bottom row). Integer arithmetic only: every build of it, native or
//! WebAssembly, writes the same bytes.

use std::env;
use std::fs;
use std::io::{self, Read, Write};
use std::process;

struct Image {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
}

fn main() {
    let args: Vec<String> = env::args().collect();
    let result = if args.len() > 1 && args[1] == "generate" {
        generate(&args[2..])
    } else {
        carve(&args[1..])
    };
    if let Err(message) = result {
        eprintln!("seam_carving: {}", message);
        process::exit(1);
    }
}

fn carve(args: &[String]) -> Result<(), String> {
    let input = args.get(0).map(String::as_str).unwrap_or("inputs/image.ppm");
    let outdir = args.get(1).map(String::as_str).unwrap_or("outputs");
    let seams: usize = match args.get(2) {
        Some(text) => text.parse().map_err(|_| format!("SEAMS must be a number, not {}", text))?,
        None => 120,
    };
    let mut bytes = Vec::new();
    fs::File::open(input)
        .and_then(|mut file| file.read_to_end(&mut bytes))
        .map_err(|e| format!("{}: {}", input, e))?;
    let original = parse_ppm(&bytes).map_err(|e| format!("{}: {}", input, e))?;
    if seams >= original.width {
        return Err(format!("cannot remove {} seams from an image {} pixels wide", seams, original.width));
    }
    println!("{}: {}x{}, removing {} seams", input, original.width, original.height, seams);

    let mut image = Image { width: original.width, height: original.height, rgb: original.rgb.clone() };
    // For each pixel still in the image, its column in the original, to paint the seams there.
    let mut columns: Vec<usize> = (0..image.height).flat_map(|_| 0..image.width).collect();
    let mut removed = vec![false; original.width * original.height];
    let mut report = String::new();
    let mut first_energy = Vec::new();
    for index in 0..seams {
        let energy = energy(&image);
        if index == 0 {
            first_energy = energy.clone();
        }
        let (seam, total) = cheapest_seam(&energy, image.width, image.height);
        report.push_str(&format!("{} {} {} {}\n", index, total, seam[0], seam[image.height - 1]));
        for (y, &x) in seam.iter().enumerate() {
            removed[y * original.width + columns[y * image.width + x]] = true;
        }
        remove(&mut image, &mut columns, &seam);
    }

    fs::create_dir_all(outdir).map_err(|e| format!("{}: {}", outdir, e))?;
    write(&format!("{}/carved.ppm", outdir), &ppm(&image))?;
    write(&format!("{}/energy.pgm", outdir), &pgm(&first_energy, original.width, original.height))?;
    let mut painted = original;
    for (i, &gone) in removed.iter().enumerate() {
        if gone {
            painted.rgb[3 * i..3 * i + 3].copy_from_slice(&[255, 0, 0]);
        }
    }
    write(&format!("{}/seams.ppm", outdir), &ppm(&painted))?;
    write(&format!("{}/seams.txt", outdir), report.as_bytes())?;
    println!("wrote {}/carved.ppm ({}x{}), energy.pgm, seams.ppm, seams.txt", outdir, image.width, image.height);
    Ok(())
}

/// The dual-gradient energy of every pixel: the squared differences of its neighbours' colours across and down,
/// wrapping at the edges.
fn energy(image: &Image) -> Vec<u32> {
    let (w, h) = (image.width, image.height);
    let px = |x: usize, y: usize| -> &[u8] { &image.rgb[3 * (y * w + x)..3 * (y * w + x) + 3] };
    let mut energy = vec![0u32; w * h];
    for y in 0..h {
        for x in 0..w {
            let (left, right) = (px((x + w - 1) % w, y), px((x + 1) % w, y));
            let (up, down) = (px(x, (y + h - 1) % h), px(x, (y + 1) % h));
            let mut sum = 0u32;
            for c in 0..3 {
                let dx = left[c] as i32 - right[c] as i32;
                let dy = up[c] as i32 - down[c] as i32;
                sum += (dx * dx + dy * dy) as u32;
            }
            energy[y * w + x] = sum;
        }
    }
    energy
}

/// The top-to-bottom path of 8-connected pixels of least total energy (ties to the leftmost), and that total.
fn cheapest_seam(energy: &[u32], w: usize, h: usize) -> (Vec<usize>, u64) {
    let mut cost: Vec<u64> = energy[..w].iter().map(|&e| e as u64).collect();
    let mut from = vec![0u32; w * h];
    let mut next = vec![0u64; w];
    for y in 1..h {
        for x in 0..w {
            let mut best = x;
            if x > 0 && cost[x - 1] <= cost[best] {
                best = x - 1;
            }
            if x + 1 < w && cost[x + 1] < cost[best] {
                best = x + 1;
            }
            next[x] = cost[best] + energy[y * w + x] as u64;
            from[y * w + x] = best as u32;
        }
        std::mem::swap(&mut cost, &mut next);
    }
    let mut x = 0;
    for i in 1..w {
        if cost[i] < cost[x] {
            x = i;
        }
    }
    let total = cost[x];
    let mut seam = vec![0usize; h];
    for y in (0..h).rev() {
        seam[y] = x;
        x = from[y * w + x] as usize;
    }
    (seam, total)
}

/// Removes one pixel per row, the seam's, from the image and from the column map.
fn remove(image: &mut Image, columns: &mut Vec<usize>, seam: &[usize]) {
    let (w, h) = (image.width, image.height);
    let mut rgb = Vec::with_capacity(3 * (w - 1) * h);
    let mut kept = Vec::with_capacity((w - 1) * h);
    for y in 0..h {
        for x in 0..w {
            if x != seam[y] {
                rgb.extend_from_slice(&image.rgb[3 * (y * w + x)..3 * (y * w + x) + 3]);
                kept.push(columns[y * w + x]);
            }
        }
    }
    image.rgb = rgb;
    image.width = w - 1;
    *columns = kept;
}

fn parse_ppm(bytes: &[u8]) -> Result<Image, String> {
    let mut at = 0;
    let mut fields = Vec::new();
    while fields.len() < 4 {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'#') {
            if bytes[at] == b'#' {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
            } else {
                at += 1;
            }
        }
        let start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if start == at {
            return Err("not a binary PPM: its header ends early".to_string());
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    at += 1; // the single whitespace byte before the pixels
    if fields[0] != "P6" || fields[3] != "255" {
        return Err(format!("not a binary PPM of maxval 255 (header {} ... {})", fields[0], fields[3]));
    }
    let width: usize = fields[1].parse().map_err(|_| format!("bad width {}", fields[1]))?;
    let height: usize = fields[2].parse().map_err(|_| format!("bad height {}", fields[2]))?;
    if width < 2 || height < 1 || bytes.len() < at + 3 * width * height {
        return Err(format!("a {}x{} image needs {} bytes of pixels", width, height, 3 * width * height));
    }
    Ok(Image { width, height, rgb: bytes[at..at + 3 * width * height].to_vec() })
}

fn ppm(image: &Image) -> Vec<u8> {
    let mut out = format!("P6\n{} {}\n255\n", image.width, image.height).into_bytes();
    out.extend_from_slice(&image.rgb);
    out
}

fn pgm(energy: &[u32], w: usize, h: usize) -> Vec<u8> {
    let max = energy.iter().copied().max().unwrap_or(0).max(1) as u64;
    let mut out = format!("P5\n{} {}\n255\n", w, h).into_bytes();
    out.extend(energy.iter().map(|&e| (e as u64 * 255 / max) as u8));
    out
}

fn write(path: &str, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|e| format!("{}: {}", path, e))
}

/// A deterministic image: smooth colour gradients, a few filled circles and noise from a xorshift generator.
fn generate(args: &[String]) -> Result<(), String> {
    if args.len() != 3 {
        return Err("usage: seam_carving generate WIDTH HEIGHT SEED".to_string());
    }
    let number = |text: &String| -> Result<u64, String> { text.parse().map_err(|_| format!("not a number: {}", text)) };
    let (w, h, mut state) = (number(&args[0])? as usize, number(&args[1])? as usize, number(&args[2])? | 1);
    let mut random = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let circles: Vec<(i64, i64, i64, [u8; 3])> = (0..12)
        .map(|_| {
            let r = random();
            (
                (r % w as u64) as i64,
                ((r >> 16) % h as u64) as i64,
                8 + ((r >> 32) % 40) as i64,
                [(r >> 40) as u8, (r >> 48) as u8, (r >> 56) as u8],
            )
        })
        .collect();
    let mut image = Image { width: w, height: h, rgb: Vec::with_capacity(3 * w * h) };
    for y in 0..h {
        for x in 0..w {
            let noise = (random() % 24) as u8;
            let mut pixel = [
                (x * 255 / w.max(1)) as u8 / 2 + noise,
                (y * 255 / h.max(1)) as u8 / 2 + noise,
                ((x + y) * 255 / (w + h).max(1)) as u8 / 3 + noise,
            ];
            for &(cx, cy, r, colour) in &circles {
                let (dx, dy) = (x as i64 - cx, y as i64 - cy);
                if dx * dx + dy * dy <= r * r {
                    pixel = colour;
                }
            }
            image.rgb.extend_from_slice(&pixel);
        }
    }
    io::stdout().write_all(&ppm(&image)).map_err(|e| e.to_string())
}

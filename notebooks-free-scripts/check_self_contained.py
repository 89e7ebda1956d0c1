#!/usr/bin/env python3
"""Fails when the repository reaches outside itself.

The repository must stand alone: every file that the sources, tests, scripts and CI read lives
in it. This check (run by .ci/run and test.sh) reports, with file and line:

1. any mention of the team's folder that sits beside a developer's clone (its data, research
   and seeds subfolders) or of the tool library beside it (the patterns are in `team_folder`);
2. a relative path made of parent steps that leaves the repository, whether it is read from the
   file's own folder or from the repository root, written out or joined from parts;
3. an absolute path into a developer's machine (the patterns are in `machine_path`);
4. a relative link in README.md or docs/*.md that points at a file the repository lacks, or at
   a heading (#anchor, GitHub's slug) that the Markdown file it names does not have.

Standard library only. Exit 0 when clean, 1 with the findings otherwise.
Usage: python3 notebooks-free-scripts/check_self_contained.py [REPO]
"""
import os
import re
import sys

repo = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
scanned_dirs = ["Sources", "Tests", "notebooks-free-scripts", ".ci"]
scanned_files = ["Package.swift"]
code_suffixes = (".swift", ".py", ".sh", ".toml", ".json", ".c", ".h", ".modulemap", "run")

team_folder = re.compile(r"(\.\./)+shared\b|\bshared/(data|research|seeds)\b|\.\./\.library\b")
machine_path = re.compile(r"""["'\s=](/work/|/home/|/Users/)""")
dotdot_path = re.compile(r"(?:\.\./)+[\w.-]+")
joined_dotdots = re.compile(r"""(?:["']\.\.["']\s*,\s*)+""")
md_link = re.compile(r"\]\(([^)\s]+)\)")

findings = []


def inside(path):
    path = os.path.normpath(path)
    return path == repo or path.startswith(repo + os.sep)


def scan_code(path):
    rel = os.path.relpath(path, repo)
    here = os.path.dirname(path)
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    for number, line in enumerate(lines, 1):
        if team_folder.search(line):
            findings.append(f"{rel}:{number}: refers to a folder outside the repository: {line.strip()}")
            continue
        if machine_path.search(line):
            findings.append(f"{rel}:{number}: an absolute path on a developer's machine: {line.strip()}")
            continue
        for match in dotdot_path.finditer(line):
            target = match.group(0)
            if not inside(os.path.join(here, target)) and not inside(os.path.join(repo, target)):
                findings.append(f"{rel}:{number}: '{target}' leaves the repository: {line.strip()}")
        for match in joined_dotdots.finditer(line):
            ups = match.group(0).count("..")
            if not inside(os.path.join(here, *[".."] * ups)):
                findings.append(f"{rel}:{number}: {ups} × '..' leaves the repository: {line.strip()}")


def anchors(path):
    """GitHub's heading slugs of a Markdown file (headings in code fences left out)."""
    slugs, fence = set(), False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("```"):
                fence = not fence
            elif not fence and re.match(r"^#+ ", line):
                title = line.lstrip("#").strip().lower()
                slugs.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return slugs


def scan_markdown(path):
    rel = os.path.relpath(path, repo)
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if team_folder.search(line):
                findings.append(f"{rel}:{number}: refers to a folder outside the repository: {line.strip()[:120]}")
            for match in md_link.finditer(line):
                link, _, anchor = match.group(1).partition("#")
                if re.match(r"^[a-z]+:", link):
                    continue
                target = os.path.join(os.path.dirname(path), link) if link else path
                if not inside(target) or not os.path.exists(target):
                    findings.append(f"{rel}:{number}: link '{link}' does not resolve inside the repository")
                elif anchor and target.endswith(".md") and anchor not in anchors(target):
                    findings.append(f"{rel}:{number}: link '{match.group(1)}' names no heading of {os.path.relpath(target, repo)}")


for d in scanned_dirs:
    for root, dirs, files in os.walk(os.path.join(repo, d)):
        dirs[:] = [x for x in dirs if x not in (".build", "__pycache__", "results", "figures")]
        for name in files:
            if name.endswith(code_suffixes):
                scan_code(os.path.join(root, name))
for name in scanned_files:
    scan_code(os.path.join(repo, name))
markdown = [os.path.join(repo, "README.md")]
for root, _, files in os.walk(os.path.join(repo, "docs")):
    markdown += [os.path.join(root, n) for n in files if n.endswith(".md")]
markdown.append(os.path.join(repo, "data", "SOURCES.md"))
for path in markdown:
    if os.path.exists(path):
        scan_markdown(path)

if findings:
    print("\n".join(findings))
    print(f"check_self_contained: {len(findings)} reference(s) outside the repository; "
          "bring the file into the repository (data/, Tests/Fixtures/) or drop the reference", file=sys.stderr)
    sys.exit(1)
print("check_self_contained: no reference outside the repository")

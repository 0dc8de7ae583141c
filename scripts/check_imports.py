#!/usr/bin/env python3
"""Fails on an import of one of the project's own modules that a file does not use.

A module counts as used when the file names one of its types, top-level functions or constants,
or a member it adds to another module's type. Liberal on purpose (a name is matched wherever it
appears), so that it never calls a used import unused; what it finds is an import of which the
file names nothing at all. System modules (Foundation, the C wrappers, packages) are not
checked. Usage: python3 scripts/check_imports.py [Sources Tests]
"""
import os, re, sys

ROOTS = sys.argv[1:] or ["Sources", "Tests"]
DECL = re.compile(r"\b(?:public|package|open)\s+(?:(?:static|final|override|mutating|nonisolated|indirect|convenience|required|class)\s+)*"
                  r"(?:func|var|let|struct|enum|class|protocol|typealias|actor|case)\s+`?([A-Za-z_][A-Za-z0-9_]*)")
IMPORT = re.compile(r"^(?:@testable\s+)?import\s+([A-Za-z_][A-Za-z0-9_]*)\s*$", re.M)
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

def swift_files(folder):
    for d, _, fs in os.walk(folder):
        for f in fs:
            if f.endswith(".swift"):
                yield os.path.join(d, f)

# The project's Swift modules: every folder under Sources but the C wrappers (a module.modulemap),
# and Tests/TestSupport.
modules = {m: os.path.join("Sources", m) for m in os.listdir("Sources")
           if os.path.isdir(os.path.join("Sources", m)) and not os.path.exists(os.path.join("Sources", m, "module.modulemap"))}
modules["TestSupport"] = os.path.join("Tests", "TestSupport")
TYPE = re.compile(r"\b(?:struct|enum|class|protocol|typealias|actor)\s+`?([A-Za-z_][A-Za-z0-9_]*)")
MEMBER = re.compile(r"\b(?:func|var|let|case)\s+`?([A-Za-z_][A-Za-z0-9_]*)")
TOP = re.compile(r"^(?:public|package|open)\s+(?:func|var|let)\s+`?([A-Za-z_][A-Za-z0-9_]*)", re.M)


def extension_bodies(text):
    """(extended type, body) of each extension, by brace matching."""
    for m in re.finditer(r"^(?:public\s+|package\s+)?extension\s+([A-Za-z_][A-Za-z0-9_]*)[^{]*\{", text, re.M):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        yield m.group(1), text[m.end():i]


# What a file can name of a module: its types, its top-level functions and constants, and the
# members it adds to other modules' types (reached by those types' names, so listed themselves).
texts = {module: [open(p, encoding="utf-8").read() for p in swift_files(folder)] for module, folder in modules.items()}
types = {module: {t for text in ts for t in TYPE.findall(text)} for module, ts in texts.items()}
names = {}
for module, ts in texts.items():
    found = set(types[module])
    for text in ts:
        found.update(TOP.findall(text))
        for extended, body in extension_bodies(text):
            if extended not in types[module]:
                found.update(MEMBER.findall(body))
    names[module] = found

problems = []
for root in ROOTS:
    for path in swift_files(root):
        text = open(path, encoding="utf-8").read()
        body = IMPORT.sub("", text)
        used = set(IDENT.findall(body))
        for module in IMPORT.findall(text):
            if module in names and not (names[module] & used):
                problems.append(f"{path}: imports {module} but uses nothing it declares")
for p in sorted(problems):
    print(p)
sys.exit(1 if problems else 0)

#!/usr/bin/python3
"""The fashion demo's model in PyTorch, as a reference for its epoch time.

MLP 784-128-10 (ReLU), softmax cross-entropy, Adam (lr 1e-3), batches of 64,
float32, one thread (torch.set_num_threads(1)), on Debian's
dataset-fashion-mnist. Not part of the build or the tests: bench/README.md
puts its epoch time beside tapegrad's.

usage: /usr/bin/python3 bench/fashion_torch.py [--epochs N] [--limit N] [--seed N] [--data DIR]
"""
import argparse
import gzip
import struct
import time
from pathlib import Path

import torch


def read_idx(path: Path) -> torch.Tensor:
    data = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
    _, _, kind, dims = struct.unpack(">BBBB", data[:4])
    assert kind == 0x08, f"{path}: not unsigned bytes"
    shape = struct.unpack(f">{dims}I", data[4 : 4 + 4 * dims])
    body = bytearray(data[4 + 4 * dims :])
    return torch.frombuffer(body, dtype=torch.uint8).reshape(shape)


def load(folder: Path, prefix: str):
    images = read_idx(folder / f"{prefix}-images-idx3-ubyte.gz")
    labels = read_idx(folder / f"{prefix}-labels-idx1-ubyte.gz")
    x = images.reshape(len(images), -1).to(torch.float32) / 255.0
    return x, labels.to(torch.int64)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--limit", type=int, default=0, help="first N training images (0 = all)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data", type=Path, default=Path("/usr/share/datasets/fashion-mnist"))
    args = p.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    x_train, y_train = load(args.data, "train")
    x_test, y_test = load(args.data, "t10k")
    if args.limit:
        x_train, y_train = x_train[: args.limit], y_train[: args.limit]

    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = len(x_train)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, {n} training images")
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(n)
        start, cpu_start = time.perf_counter(), time.process_time()
        model.train()
        for k in range(0, n, 64):
            idx = order[k : k + 64]
            opt.zero_grad()
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
        print(f"epoch {epoch}/{args.epochs}: {seconds:.2f} s (CPU {cpu:.2f} s), {n / seconds:.0f} images/s, "
              f"test accuracy {100 * accuracy:.1f}%")


if __name__ == "__main__":
    main()

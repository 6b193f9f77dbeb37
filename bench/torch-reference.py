"""Same-shape PyTorch reference for `npm run bench -- model` (the original project's stack).

Builds the Wide & Deep of model/wide-deep/wide-deep-model.ts with the layer sizes it is given
(JSON in argv[1]: F, W, D, wideVocab, deepVocab, K, E, hidden, batchSizes, predictBatch,
trainSeconds, threads) and prints one JSON line: training samples/s per batch size and
prediction rows/s. Inputs are random ids and values of the right shapes: the cost of a step
depends on shapes, not on values. Needs `pip install torch numpy`; exits 3 when torch is missing.
"""
import json
import sys
import time

try:
    import torch
    from torch import nn
except ImportError:
    print("torch is not installed (pip install torch numpy)", file=sys.stderr)
    sys.exit(3)


class WideDeep(nn.Module):
    """wide: mean(Embedding(wideVocab, K)(wide)) + Linear(F, K)(numeric)
    deep: Embedding(deepVocab, E)(deep) flattened ++ numeric -> (Linear, BatchNorm, ReLU, Dropout) per hidden -> Linear(K)"""

    def __init__(self, c):
        super().__init__()
        self.wide_ids = nn.Embedding(c["wideVocab"], c["K"])
        self.wide_numeric = nn.Linear(c["F"], c["K"])
        self.embed = nn.Embedding(c["deepVocab"], c["E"])
        layers, width = [], c["D"] * c["E"] + c["F"]
        for units in c["hidden"]:
            layers += [nn.Linear(width, units, bias=False), nn.BatchNorm1d(units), nn.ReLU(), nn.Dropout(0.3)]
            width = units
        layers.append(nn.Linear(width, c["K"]))
        self.deep = nn.Sequential(*layers)

    def forward(self, numeric, wide, deep):
        wide_logits = self.wide_ids(wide).mean(dim=1) + self.wide_numeric(numeric)
        h = torch.cat([self.embed(deep).flatten(1), numeric], dim=1)
        return wide_logits + self.deep(h)


def batch(c, n):
    return (torch.randn(n, c["F"]), torch.randint(0, c["wideVocab"], (n, c["W"])),
            torch.randint(0, c["deepVocab"], (n, c["D"])), torch.softmax(torch.randn(n, c["K"]), dim=1))


def train_rate(c, model, bs):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    data = [batch(c, bs) for _ in range(8)]
    model.train()

    def step(i):
        numeric, wide, deep, y = data[i % len(data)]
        opt.zero_grad(set_to_none=True)
        loss = -(y * torch.log_softmax(model(numeric, wide, deep), dim=1)).sum(dim=1).mean()
        loss.backward()
        opt.step()

    for i in range(3):
        step(i)
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < c["trainSeconds"]:
        step(steps)
        steps += 1
    return steps * bs / (time.perf_counter() - t0)


def predict_rate(c, model, bs):
    numeric, wide, deep, _ = batch(c, bs)
    model.eval()
    with torch.inference_mode():
        for _ in range(3):
            torch.softmax(model(numeric, wide, deep), dim=1)
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < c["trainSeconds"] / 2:
            torch.softmax(model(numeric, wide, deep), dim=1).numpy()
            n += bs
    return n / (time.perf_counter() - t0)


def main():
    c = json.loads(sys.argv[1])
    torch.set_num_threads(c.get("threads", 2))
    torch.manual_seed(1)
    model = WideDeep(c)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(),
           "parameters": sum(p.numel() for p in model.parameters()),
           "trainSamplesPerSec": {}, "predictRowsPerSec": {}}
    for bs in c["batchSizes"]:
        out["trainSamplesPerSec"][str(bs)] = round(train_rate(c, WideDeep(c), bs))
    for bs in c["predictBatches"]:
        out["predictRowsPerSec"][str(bs)] = round(predict_rate(c, model, bs))
    print(json.dumps(out))


if __name__ == "__main__":
    main()

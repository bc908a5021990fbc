#include <cstdio>
int main() { std::puts("csapcheck"); return 0; }

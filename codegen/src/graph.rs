//! Strongly connected components of the shape graph, for recursion: an edge `a -> b` lies on a
//! cycle exactly when `a` and `b` are in the same component.
//!
//! Iterative (Tarjan's algorithm with an explicit stack) and linear in the size of the graph, so
//! a model with long chains of shapes neither overflows the stack nor takes quadratic time.

use std::collections::BTreeMap;

/// Nodes are `0..successors.len()`; `successors[n]` lists the nodes `n` has an edge to. Returns
/// the component of every node: two nodes share a number exactly when each reaches the other.
pub(crate) fn components(successors: &[Vec<usize>]) -> Vec<usize> {
    let mut tarjan = Tarjan::new(successors.len());
    for root in 0..successors.len() {
        if tarjan.index[root] == UNVISITED {
            tarjan.explore(root, successors);
        }
    }
    tarjan.component
}

/// [`components`] of the graph over shape IDs `nodes`, whose edges `successors` gives (edges to
/// IDs outside `nodes` are left out): shape ID -> component.
pub(crate) fn shape_components<'a>(
    nodes: &[&'a str],
    successors: impl Fn(&'a str) -> Vec<&'a str>,
) -> BTreeMap<&'a str, usize> {
    let position: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .map(|id| successors(id).into_iter().filter_map(|target| position.get(target).copied()).collect())
        .collect();
    nodes.iter().copied().zip(components(&edges)).collect()
}

const UNVISITED: usize = usize::MAX;

struct Tarjan {
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    component: Vec<usize>,
    stack: Vec<usize>,
    next_index: usize,
    next_component: usize,
}

impl Tarjan {
    fn new(count: usize) -> Self {
        Tarjan {
            index: vec![UNVISITED; count],
            low: vec![0; count],
            on_stack: vec![false; count],
            component: vec![UNVISITED; count],
            stack: Vec::new(),
            next_index: 0,
            next_component: 0,
        }
    }

    fn enter(&mut self, node: usize) {
        self.index[node] = self.next_index;
        self.low[node] = self.next_index;
        self.next_index += 1;
        self.on_stack[node] = true;
        self.stack.push(node);
    }

    /// Depth first from `root`; `path` holds each node being explored with the position of its
    /// next successor.
    fn explore(&mut self, root: usize, successors: &[Vec<usize>]) {
        self.enter(root);
        let mut path = vec![(root, 0)];
        while let Some((node, next)) = path.last().copied() {
            if let Some(&successor) = successors[node].get(next) {
                if let Some(top) = path.last_mut() {
                    top.1 = next + 1;
                }
                if self.index[successor] == UNVISITED {
                    self.enter(successor);
                    path.push((successor, 0));
                } else if self.on_stack[successor] {
                    self.low[node] = self.low[node].min(self.index[successor]);
                }
                continue;
            }
            path.pop();
            if let Some(&(parent, _)) = path.last() {
                self.low[parent] = self.low[parent].min(self.low[node]);
            }
            if self.low[node] == self.index[node] {
                while let Some(member) = self.stack.pop() {
                    self.on_stack[member] = false;
                    self.component[member] = self.next_component;
                    if member == node {
                        break;
                    }
                }
                self.next_component += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn cycles_share_a_component_and_chains_do_not() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 3 a self-loop; 4 -> 0 and 5 alone are not on one.
        let c = components(&[vec![1], vec![2], vec![0], vec![3], vec![0], vec![]]);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0] && c[4] != c[0] && c[5] != c[0] && c[4] != c[5]);
    }

    #[test]
    fn a_long_chain_needs_no_deep_stack() {
        let n = 200_000;
        let successors: Vec<Vec<usize>> = (0..n).map(|i| if i + 1 < n { vec![i + 1] } else { vec![0] }).collect();
        let c = components(&successors);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
